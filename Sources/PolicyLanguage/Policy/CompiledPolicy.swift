/// A validated policy document whose every expression is compiled.
public struct CompiledPolicy: Sendable {
    /// The document as parsed.
    public let json: JSONValue
    public let version: Int
    public let defaultVerdict: Verdict
    public let failClosed: Bool
    public let config: PolicyConfig
    public let rules: [Rule]

    /// Parses, validates (policy-engine.md "The document", all problems collected) and compiles.
    public init(parsing bytes: some Collection<UInt8>, parser: JSONParser = JSONParser()) throws(PolicyLoadError) {
        throw .invalidJSON(JSONError(message: "not implemented", offset: 0))
    }

    /// Validates and compiles an already parsed document.
    public init(json: JSONValue) throws(PolicyLoadError) {
        throw .invalidPolicy([])
    }
}

/// The outcome of a gate event (connect, dial, datagram).
public struct GateDecision: Sendable {
    public var verdict: Verdict
    /// The deciding rule, `_default` when none decided, or the rule whose match failed.
    public var rule: String
    /// Actions of every matching rule up to and including the deciding one, in order.
    public var directives: [Directive]
    /// Set when a match failed at runtime (the verdict then follows `fail_closed`).
    public var error: EvaluationError?
}

/// The outcome of an action event (cycle, join, leave).
public struct ActionOutcome: Sendable {
    /// Actions of every matching rule, in document order; empty when `error` is set.
    public var directives: [Directive]
    /// The rule whose match failed and its error; the evaluation's directives are then skipped.
    public var error: (rule: String, error: EvaluationError)?
}

extension CompiledPolicy {
    /// Evaluates a gate event (`event.isGate`).
    public func decide(_ event: EventKind, context: EvalContext) -> GateDecision {
        GateDecision(verdict: defaultVerdict, rule: "_default", directives: [], error: nil)
    }

    /// Evaluates an action event (cycle, join, leave): every matching rule contributes.
    public func evaluateActions(_ event: EventKind, context: EvalContext) -> ActionOutcome {
        ActionOutcome(directives: [], error: nil)
    }
}
