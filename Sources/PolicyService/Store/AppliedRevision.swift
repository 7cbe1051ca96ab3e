import Locking

/// The store revision this process has applied, and callbacks waiting for it to reach a
/// target (`GET .../runner?min_revision=`): the follower advances it, waiters hold no thread.
public final class AppliedRevision: Sendable {
    struct Waiter {
        var target: Int64
        var callback: @Sendable () -> Void
    }

    struct State {
        var revision: Int64 = 0
        var nextID = 0
        var waiters: [Int: Waiter] = [:]
    }

    private let state = Locked(State())

    public init() {}

    /// Every change up to this revision is applied.
    public var value: Int64 { state.withLock { $0.revision } }

    /// Moves the revision to `revision` (backwards only when allowed: another store's
    /// revisions) and calls, outside the lock, every waiter it reached.
    public func advance(to revision: Int64, allowingBackwards: Bool = false) {
        let reached = state.withLock { s -> [@Sendable () -> Void] in
            guard revision > s.revision || (allowingBackwards && revision != s.revision) else { return [] }
            s.revision = revision
            guard !s.waiters.isEmpty else { return [] }
            let met = s.waiters.filter { $0.value.target <= revision }
            for id in met.keys { s.waiters.removeValue(forKey: id) }
            return met.values.map(\.callback)
        }
        for callback in reached { callback() }
    }

    /// Calls `callback` once the revision reaches `target`: nil when it already has (the
    /// callback is not kept), else an id for `cancel`.
    public func whenReached(_ target: Int64, _ callback: @escaping @Sendable () -> Void) -> Int? {
        state.withLock { s in
            guard s.revision < target else { return nil }
            s.nextID += 1
            s.waiters[s.nextID] = Waiter(target: target, callback: callback)
            return s.nextID
        }
    }

    /// Forgets a waiter (its wait ran out); its callback will not be called.
    public func cancel(_ id: Int) {
        _ = state.withLock { $0.waiters.removeValue(forKey: id) }
    }

    /// How many callbacks are waiting.
    public var waiting: Int { state.withLock { $0.waiters.count } }
}
