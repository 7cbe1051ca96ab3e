import Locking
import PolicyService

/// The encoded fixed parts of each network's runner status, kept for the runner of one
/// generation and replaced when a status shows a newer one (a swap): the runner GET, a hot
/// path, then writes only what moves.
///
/// Striped by network id: a read takes one of 64 locks, held for a dictionary lookup, so two
/// threads meet on a lock only when they read networks of the same stripe at the same moment.
final class StatusPartsCache: Sendable {
    private static let stripeCount = 64
    private let stripes: [Locked<[Int: RunnerStatusParts]>]

    init() {
        stripes = (0..<Self.stripeCount).map { _ in Locked([:]) }
    }

    /// The parts of the runner `s` describes; nil for a runner not started (no final `started_at`).
    func parts(of s: RunnerStatus) -> RunnerStatusParts? {
        guard let startedAt = s.startedAt else { return nil }
        let stripe = stripes[s.networkID & (Self.stripeCount - 1)]
        if let kept = stripe.withLock({ $0[s.networkID] }), kept.generation == s.generation { return kept }
        // Encoded outside the lock; a racing reader of the same runner may encode it too (the same bytes).
        let made = RunnerStatusParts(s, startedAt: startedAt)
        stripe.withLock { all in
            // An older status read late must not put back the parts of a replaced runner.
            if let kept = all[s.networkID], kept.generation > made.generation { return }
            all[s.networkID] = made
        }
        return made
    }
}
