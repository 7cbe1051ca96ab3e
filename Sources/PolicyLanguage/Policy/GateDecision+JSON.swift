extension GateDecision {
    /// Writes the API's Decision object: `network_id`, `generation`, `verdict`, `rule`,
    /// `directives` (`{"type","rule"}` each) and `error` only when evaluation failed.
    public func write(to writer: inout JSONWriter, networkID: Int, generation: Int) {
        writer.beginObject()
        writer.key("network_id")
        writer.int(networkID)
        writer.key("generation")
        writer.int(generation)
        writer.key("verdict")
        writer.string(verdict.rawValue)
        writer.key("rule")
        writer.string(rule)
        writer.key("directives")
        writer.beginArray()
        for directive in directives { writer.directive(type: directive.type, rule: directive.rule) }
        writer.endArray()
        if let error {
            writer.key("error")
            writer.string(error.description)
        }
        writer.endObject()
    }
}

extension JSONWriter {
    /// One directive as the API writes it: `{"type","rule"}` (decisions, cycle results).
    public mutating func directive(type: ActionType, rule: String) {
        beginObject()
        key("type")
        string(type.rawValue)
        key("rule")
        string(rule)
        endObject()
    }
}
