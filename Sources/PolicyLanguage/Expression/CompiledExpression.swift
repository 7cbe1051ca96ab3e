/// A `match` expression, parsed, type-checked (it must be bool) and compiled once;
/// evaluating it does no parsing, no checking and no string work.
public struct CompiledExpression: Sendable {
    /// The expression as written.
    public let source: String

    /// Compiles `source` for `scope`; fails with line:column on any compile error,
    /// including a result type other than bool ("expected bool, but got int").
    public init(compiling source: String, scope: ExprScope) throws(ExpressionError) {
        // CONTRACT STUB: replaced by the real compiler.
        self.source = source
        throw ExpressionError(message: "expression compiler not implemented", line: 1, column: 1)
    }

    /// Evaluates against `context`. Runtime errors are thrown as values, never trap;
    /// an evaluation is cut off with an error after 100 ms.
    public func evaluate(_ context: EvalContext) throws(EvaluationError) -> Bool {
        false
    }
}
