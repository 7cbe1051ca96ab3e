/// One problem found while validating a policy document.
public struct PolicyProblem: Sendable, Equatable, CustomStringConvertible {
    /// The rule's name, or `#N` (0-based index) when it has none; nil for document-level fields.
    public var rule: String?
    /// The field, e.g. `version`, `rules`, `match`, `actions[1].params.add`, `config.cycle`.
    public var field: String
    public var message: String
    /// Position inside an expression, for expression errors only.
    public var line: Int?
    public var column: Int?

    public init(rule: String?, field: String, message: String, line: Int? = nil, column: Int? = nil) {
        self.rule = rule
        self.field = field
        self.message = message
        self.line = line
        self.column = column
    }

    /// For people: `rule "ops-ssh" match 1:14: unknown name prot`.
    public var description: String {
        var s = ""
        if let rule { s += "rule \"\(rule)\" " }
        s += field
        if let line, let column { s += " \(line):\(column)" }
        return s + ": " + message
    }
}

/// Why a document was not accepted.
public enum PolicyLoadError: Error, Sendable, Equatable {
    /// The bytes are not JSON (or break a JSON limit).
    case invalidJSON(JSONError)
    /// JSON, but not a valid policy: every problem found, in validation order.
    case invalidPolicy([PolicyProblem])
}
