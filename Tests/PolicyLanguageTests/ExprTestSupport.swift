import PolicyLanguage
import Testing

/// Shared helpers for the expression tests.
enum ExprTest {
    static var sample: EvalContext {
        var c = EvalContext()
        c.peerID = 42
        c.port = 22
        c.networkID = 7
        c.peerTags = ["ops", "admin", "edge"]
        c.localTags = ["edge"]
        c.peerAgeS = 30.5
        c.members = 3
        c.senderRating = 0.75
        c.size = 1500
        c.direction = "in"
        c.now = 2000
        return c
    }

    static func compile(_ source: String, scope: ExprScope = .event(.datagram)) throws(ExpressionError) -> CompiledExpression {
        try CompiledExpression(compiling: source, scope: scope)
    }

    static func eval(_ source: String, scope: ExprScope = .event(.datagram), _ ctx: EvalContext = sample) throws -> Bool {
        try compile(source, scope: scope).evaluate(ctx)
    }

    /// The compile error for `source`, or nil if it compiles.
    static func compileError(_ source: String, scope: ExprScope = .event(.datagram)) -> ExpressionError? {
        do {
            _ = try compile(source, scope: scope)
            return nil
        } catch {
            return error
        }
    }

    /// The runtime error for `source`, or nil if it evaluates (or fails to compile).
    static func runtimeError(_ source: String, _ ctx: EvalContext = sample) -> EvaluationError? {
        guard let compiled = try? compile(source) else { return nil }
        do {
            _ = try compiled.evaluate(ctx)
            return nil
        } catch {
            return error
        }
    }
}
