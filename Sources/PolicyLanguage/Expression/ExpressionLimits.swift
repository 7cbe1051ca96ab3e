/// Bounds on one `match` expression, checked at compile time. Whatever they are set to, the
/// parser never recurses deeper than 128 levels nor builds a tree taller than 400 (operator
/// chains), so that no expression can exhaust the stack of the thread compiling or evaluating it.
public struct ExpressionLimits: Sendable, Equatable {
    /// Longest source accepted, in Unicode scalars.
    public var maxLength: Int
    /// Deepest nesting accepted (parentheses, unary operators, operands, calls, predicates); at most 128.
    public var maxNesting: Int

    /// No length limit and the parser's own nesting ceiling; policies use tighter ones (`PolicyLimits`).
    public init(maxLength: Int = .max, maxNesting: Int = 128) {
        self.maxLength = maxLength
        self.maxNesting = maxNesting
    }
}
