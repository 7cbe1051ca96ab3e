extension DocumentValidator {
    /// Step 5: `config.cycle` (a Go duration of at least 1s), `config.max_peers`
    /// (an integer >= 0) and `config.grace` (a Go duration >= 0).
    mutating func readConfig(_ value: JSONValue) -> PolicyConfig {
        var config = PolicyConfig()
        guard case .object = value else {
            report(nil, "config", "must be an object, got \(value.kindDescription)")
            return config
        }
        if let cycle = value.field("cycle"), let seconds = duration(cycle, "config.cycle") {
            if seconds < 1 {
                report(nil, "config.cycle", "must be at least 1s, got \(quoted(cycle))")
            } else {
                config.cycle = cycle.stringValue
                config.cycleSeconds = seconds
            }
        }
        if let maxPeers = value.field("max_peers") {
            config.maxPeers = count(maxPeers, nil, "config.max_peers", missing: "")
        }
        if let grace = value.field("grace"), let seconds = duration(grace, "config.grace") {
            if seconds < 0 {
                report(nil, "config.grace", "must not be negative, got \(quoted(grace))")
            } else {
                config.grace = grace.stringValue
            }
        }
        return config
    }

    /// Seconds of a duration string, or a problem.
    private mutating func duration(_ value: JSONValue, _ field: String) -> Double? {
        guard case .string(let text) = value else {
            report(nil, field, "must be a duration string such as \"30s\" or \"1h\", got \(value.kindDescription)")
            return nil
        }
        guard let seconds = ConfigDuration.seconds(text) else {
            report(
                nil, field,
                "invalid duration \"\(text)\" (Go syntax: a number and a unit ns, us, ms, s, m or h, as in \"90s\" or \"1h30m\")")
            return nil
        }
        return seconds
    }

    private func quoted(_ value: JSONValue) -> String {
        "\"\(value.stringValue ?? "")\""
    }
}
