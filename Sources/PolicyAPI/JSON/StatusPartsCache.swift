import Locking
import PolicyService

/// The encoded fixed parts of each network's runner status, kept for the runner of one
/// generation and replaced when a status shows a newer one (a swap): the runner GET, a hot
/// path, then writes only what moves.
///
/// Striped by network id: a read takes one of 64 locks, held to read one array slot (no
/// hashing), so two threads meet on a lock only when they read networks of the same stripe at
/// the same moment. Network `id` lives in stripe `id % 64`, slot `id / 64`.
final class StatusPartsCache: Sendable {
    private static let stripeCount = 64
    private static let slotsPerStripe = NetworkID.range.upperBound / stripeCount + 1
    private let stripes: [Locked<[RunnerStatusParts?]>]

    init() {
        stripes = (0..<Self.stripeCount).map { _ in Locked(Array(repeating: nil, count: Self.slotsPerStripe)) }
    }

    /// The parts of the runner `s` describes; nil for a runner not started (no final `started_at`).
    func parts(of s: RunnerStatus) -> RunnerStatusParts? {
        guard let startedAt = s.startedAt else { return nil }
        let stripe = stripes[s.networkID % Self.stripeCount]
        let slot = s.networkID / Self.stripeCount
        if let kept = stripe.withLock({ $0[slot] }), kept.generation == s.generation { return kept }
        // Encoded outside the lock; a racing reader of the same runner may encode it too (the same bytes).
        let made = RunnerStatusParts(s, startedAt: startedAt)
        stripe.withLock { all in
            // An older status read late must not put back the parts of a replaced runner.
            if let kept = all[slot], kept.generation > made.generation { return }
            all[slot] = made
        }
        return made
    }
}
