/// A `match` expression, parsed, type-checked (it must be bool) and compiled once;
/// evaluating it does no parsing, no checking and no string work.
///
/// Pipeline (each step mirrors expr 1.17 so results, compile errors and runtime
/// errors match it): `Lexer` → `Parser` (AST of `Node`s) → `TypeChecker` (expr's
/// natures, error texts and positions) → `Optimizer` (the rewrites of expr's
/// optimizer that are observable) → `Compiler` (closures; unboxed fast paths where the
/// runtime type is guaranteed).
public struct CompiledExpression: Sendable {
    /// The expression as written.
    public let source: String
    private let program: BFn

    /// Compiles `source` for `scope`; fails with line:column on any compile error,
    /// including a result type other than bool ("expected bool, but got int").
    public init(compiling source: String, scope: ExprScope) throws(ExpressionError) {
        self.source = source
        let scalars = Array(source.unicodeScalars)
        let compiler = Compiler(source: scalars)
        func failure(_ message: String, _ pos: Int) -> ExpressionError {
            let l = compiler.loc(pos)
            return ExpressionError(message: message, line: l.line, column: l.column)
        }
        let root: Node
        do {
            root = try Parser.parse(try Lexer.tokenize(scalars))
        } catch {
            throw failure(error.message, error.pos)
        }
        do {
            var checker = TypeChecker(variables: Variables.types(for: scope))
            let type = try checker.visit(root)
            // expr.AsBool(): unknown types are let through and checked at run time.
            if type != .bool && !type.isUnknown {
                throw ExpressionError(message: "expected bool, but got \(type.name)", line: 1, column: 1)
            }
            try Optimizer.optimize(root)
            if root.exact && root.type == .bool {
                program = try compiler.bool(root)
            } else {
                let g = try compiler.value(root)
                program = { ctx, env throws(EvaluationError) in
                    let v = try g(ctx, &env)
                    if case .bool(let b) = v { return b }
                    throw EvaluationError(message: "expected bool, but got \(v.goTypeName)", line: 1, column: 1)
                }
            }
        } catch let e as CheckError {
            throw failure(e.message, e.pos)
        } catch let e as ExpressionError {
            throw e
        } catch {
            throw ExpressionError(message: "\(error)", line: 1, column: 1)
        }
    }

    /// Evaluates against `context`. Runtime errors are thrown as values, never trap;
    /// an evaluation is cut off with an error after 100 ms.
    public func evaluate(_ context: EvalContext) throws(EvaluationError) -> Bool {
        var env = Env()
        return try program(context, &env)
    }
}
