extension GateDecision {
    /// Writes the API's Decision object: `network_id`, `generation`, `verdict`, `rule`,
    /// `directives` (`{"type","rule"}` each) and `error` only when evaluation failed.
    public func write(to writer: inout JSONWriter, networkID: Int, generation: Int) {
        writer.beginObject()
        writer.rawKey(#""network_id":"#)
        writer.int(networkID)
        writer.rawKey(#""generation":"#)
        writer.int(generation)
        writer.rawKey(#""verdict":"#)
        writer.string(verdict.rawValue)
        writer.rawKey(#""rule":"#)
        writer.string(rule)
        writer.rawKey(#""directives":"#)
        writer.beginArray()
        for directive in directives { writer.directive(type: directive.type, rule: directive.rule) }
        writer.endArray()
        if let error {
            writer.rawKey(#""error":"#)
            writer.string(error.description)
        }
        writer.endObject()
    }
}

extension JSONWriter {
    /// One directive as the API writes it: `{"type","rule"}` (decisions, cycle results).
    public mutating func directive(type: ActionType, rule: String) {
        beginObject()
        rawKey(#""type":"#)
        string(type.rawValue)
        rawKey(#""rule":"#)
        string(rule)
        endObject()
    }
}
