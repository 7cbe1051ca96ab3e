/// Bounds on one `match` expression, checked at compile time so that no expression can
/// exhaust the stack of the thread compiling or evaluating it.
public struct ExpressionLimits: Sendable, Equatable {
    /// Longest source accepted, in Unicode scalars.
    public var maxLength: Int
    /// Deepest nesting accepted: parentheses, operators, calls, predicates (the height of the parse tree).
    public var maxNesting: Int

    public init(maxLength: Int = 4096, maxNesting: Int = 64) {
        self.maxLength = maxLength
        self.maxNesting = maxNesting
    }
}
