public import PolicyLanguage

/// A gate decision of a network's active runner, with the runner that made it.
public struct Decision: Sendable {
    public var networkID: Int
    /// The generation of the runner that decided.
    public var generation: Int
    public var verdict: Verdict
    /// The deciding rule, `_default` when none decided, or the rule whose match failed.
    public var rule: String
    /// Actions of every matching rule up to and including the deciding one, in order.
    public var directives: [Directive]
    /// Set when a match failed at runtime (the verdict then follows `fail_closed`).
    public var error: EvaluationError?

    init(_ gate: GateDecision, networkID: Int, generation: Int) {
        self.networkID = networkID
        self.generation = generation
        verdict = gate.verdict
        rule = gate.rule
        directives = gate.directives
        error = gate.error
    }
}
