public import PolicyLanguage
import PolicyService

extension Decision {
    /// Writes the API's Decision object (openapi.yaml).
    func write(to writer: inout JSONWriter) {
        writer.decision(
            networkID: networkID, generation: generation, verdict: verdict, rule: rule, directives: directives, error: error)
    }
}

extension GateDecision {
    /// Writes a decision made outside any runner (`policyd eval`) as the API's Decision object.
    public func write(to writer: inout JSONWriter, networkID: Int, generation: Int) {
        writer.decision(
            networkID: networkID, generation: generation, verdict: verdict, rule: rule, directives: directives, error: error)
    }
}

extension JSONWriter {
    /// The Decision object: `network_id`, `generation`, `verdict`, `rule`, `directives`
    /// (`{"type","rule"}` each) and `error` only when evaluation failed.
    mutating func decision(
        networkID: Int, generation: Int, verdict: Verdict, rule: String, directives: [Directive], error: EvaluationError?
    ) {
        beginObject()
        rawKey(#""network_id":"#)
        int(networkID)
        rawKey(#""generation":"#)
        int(generation)
        rawKey(#""verdict":"#)
        string(verdict.rawValue)
        rawKey(#""rule":"#)
        string(rule)
        rawKey(#""directives":"#)
        beginArray()
        for directive in directives { self.directive(type: directive.type, rule: directive.rule) }
        endArray()
        if let error {
            rawKey(#""error":"#)
            string(error.description)
        }
        endObject()
    }

    /// One directive as the API writes it: `{"type","rule"}` (decisions, cycle results).
    mutating func directive(type: ActionType, rule: String) {
        beginObject()
        rawKey(#""type":"#)
        string(type.rawValue)
        rawKey(#""rule":"#)
        string(rule)
        endObject()
    }
}
