import PolicyLanguage
import Synchronization

/// Decision and cycle counters of one runner; lock-free, read at any time. The decision
/// counters are striped (every polling thread counts the decisions of a busy network).
final class RunnerCounters: Sendable {
    private static let allow = 0
    private static let deny = 1
    private static let errors = 2
    private let decisions = StripedCounters(count: 3)
    /// Runtime errors of action events (join, leave, cycle, evict_where).
    let actionErrors = Atomic<Int>(0)

    func count(_ verdict: Verdict, error: Bool) {
        decisions.add(verdict == .allow ? Self.allow : Self.deny)
        if error { decisions.add(Self.errors) }
    }

    var snapshot: DecisionCounts {
        DecisionCounts(
            allow: decisions.value(Self.allow),
            deny: decisions.value(Self.deny),
            errors: decisions.value(Self.errors)
        )
    }
}

/// A point-in-time copy of a runner's decision counters.
public struct DecisionCounts: Sendable, Equatable {
    public var allow: Int
    public var deny: Int
    public var errors: Int

    public init(allow: Int = 0, deny: Int = 0, errors: Int = 0) {
        self.allow = allow
        self.deny = deny
        self.errors = errors
    }

    static func += (total: inout DecisionCounts, counts: DecisionCounts) {
        total.allow += counts.allow
        total.deny += counts.deny
        total.errors += counts.errors
    }
}
