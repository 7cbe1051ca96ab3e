/// The outcome of a gate event (connect, dial, datagram).
public struct GateDecision: Sendable {
    /// The rule name reported when no rule decided.
    public static let defaultRule = "_default"

    public var verdict: Verdict
    /// The deciding rule, `_default` when none decided, or the rule whose match failed.
    public var rule: String
    /// Actions of every matching rule up to and including the deciding one, in order.
    public var directives: [Directive]
    /// Set when a match failed at runtime (the verdict then follows `fail_closed`).
    public var error: EvaluationError?

    public init(verdict: Verdict, rule: String, directives: [Directive], error: EvaluationError? = nil) {
        self.verdict = verdict
        self.rule = rule
        self.directives = directives
        self.error = error
    }
}

/// The outcome of an action event (cycle, join, leave).
public struct ActionOutcome: Sendable {
    /// Actions of every matching rule, in document order; empty when `error` is set.
    public var directives: [Directive]
    /// The rule whose match failed and its error; the evaluation's directives are then skipped.
    public var error: (rule: String, error: EvaluationError)?

    public init(directives: [Directive], error: (rule: String, error: EvaluationError)? = nil) {
        self.directives = directives
        self.error = error
    }
}
