/// A 1-based source position, resolved at compile time.
struct Loc: Sendable {
    var line: Int
    var column: Int

    func error(_ message: String) -> EvaluationError {
        EvaluationError(message: message, line: line, column: column)
    }
}

/// Per-evaluation state besides the variables: the predicate scope and the budgets
/// expr enforces (memory: ranges/arrays count elements; time: 100 ms).
struct Env {
    /// The innermost predicate scope (`#`, `#index`); enclosing scopes are saved on
    /// the Swift stack by the loops themselves, so predicates never allocate.
    var scope = Scope()
    var memory = 0
    var steps = 0
    var deadline: UInt64 = 0

    struct Scope {
        var element: Value = .null
        var index = 0
    }

    init() {}

    /// expr's default memory budget (conf.DefaultMemoryBudget).
    static let memoryBudget = 1_000_000
    /// No evaluation may run longer than this.
    static let timeBudgetNanos: UInt64 = 100_000_000

    mutating func memGrow(_ size: Int, _ loc: Loc) throws(EvaluationError) {
        memory &+= size
        if memory >= Env.memoryBudget || memory < 0 { throw loc.error("memory budget exceeded") }
    }

    /// Called once per loop iteration; reads the clock every 256 steps.
    @inline(__always)
    mutating func tick(_ loc: Loc) throws(EvaluationError) {
        steps &+= 1
        if steps & 255 == 1 { try checkClock(loc) }
    }

    /// Whether the time budget is spent (starts the clock on first use).
    mutating func clockExpired() -> Bool {
        let now = monotonicNanos()
        if deadline == 0 {
            deadline = now + Env.timeBudgetNanos
            return false
        }
        return now > deadline
    }

    mutating func checkClock(_ loc: Loc) throws(EvaluationError) {
        let now = monotonicNanos()
        if deadline == 0 {
            deadline = now + Env.timeBudgetNanos
        } else if now > deadline {
            throw loc.error("evaluation exceeded the time budget of 100ms")
        }
    }
}
