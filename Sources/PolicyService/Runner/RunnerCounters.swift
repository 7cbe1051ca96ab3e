import PolicyLanguage
import Synchronization

/// Decision and cycle counters of one runner; lock-free, read at any time.
final class RunnerCounters: Sendable {
    let allow = Atomic<Int>(0)
    let deny = Atomic<Int>(0)
    let errors = Atomic<Int>(0)
    /// Runtime errors of action events (join, leave, cycle, evict_where).
    let actionErrors = Atomic<Int>(0)

    func count(_ verdict: Verdict, error: Bool) {
        switch verdict {
        case .allow: allow.add(1, ordering: .relaxed)
        case .deny: deny.add(1, ordering: .relaxed)
        }
        if error { errors.add(1, ordering: .relaxed) }
    }

    var snapshot: DecisionCounts {
        DecisionCounts(
            allow: allow.load(ordering: .relaxed),
            deny: deny.load(ordering: .relaxed),
            errors: errors.load(ordering: .relaxed)
        )
    }
}

/// A point-in-time copy of a runner's decision counters.
public struct DecisionCounts: Sendable, Equatable {
    public var allow: Int
    public var deny: Int
    public var errors: Int
}
