/// Bounds on a policy document, applied by `CompiledPolicy(parsing:limits:)`; each broken
/// bound is a problem that names the limit.
public struct PolicyLimits: Sendable, Equatable {
    /// Deepest nesting of JSON arrays and objects.
    public var maxJSONDepth: Int
    /// Most rules in one document.
    public var maxRules: Int
    /// Bounds on every `match` expression (rule matches and `evict_where` matches).
    public var expression: ExpressionLimits

    public init(
        maxJSONDepth: Int = 64, maxRules: Int = 256,
        expression: ExpressionLimits = ExpressionLimits(maxLength: 4096, maxNesting: 64)
    ) {
        self.maxJSONDepth = maxJSONDepth
        self.maxRules = maxRules
        self.expression = expression
    }
}
