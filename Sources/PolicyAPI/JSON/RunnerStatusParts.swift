import PolicyLanguage
import PolicyService

/// The members of a RunnerStatus that never change once the runner started, encoded once:
/// `network_id`, `generation` (before `state`) and `etag` ... `started_at` (after it).
final class RunnerStatusParts: Sendable {
    let identity: [UInt8]
    let policy: [UInt8]

    init(_ r: Runner, startedAt: Double) {
        var w = JSONWriter(capacity: 48)
        w.beginObject()
        w.key("network_id"); w.int(r.networkID)
        w.key("generation"); w.int(r.generation)
        identity = w.members
        w = JSONWriter(capacity: 256)
        w.beginObject()
        w.key("etag"); w.string(r.etag)
        w.key("rules"); w.int(r.policy.rules.count)
        w.key("default_verdict"); w.string(r.policy.defaultVerdict.rawValue)
        w.key("fail_closed"); w.bool(r.policy.failClosed)
        w.key("cycle")
        if let cycle = r.policy.config.cycle { w.string(cycle) } else { w.null() }
        w.key("max_peers")
        if let max = r.policy.config.maxPeers { w.int(max) } else { w.null() }
        w.key("started_at"); w.string(Timestamp.rfc3339(startedAt))
        policy = w.members
    }

    /// The runner's parts, made on first use and kept with the runner (it is started, so
    /// `startedAt` is final).
    static func of(_ r: Runner, startedAt: Double) -> RunnerStatusParts {
        // Only this type is ever stored in a runner's attachment.
        if let kept = r.attachment.load() { return unsafeDowncast(kept, to: RunnerStatusParts.self) }
        return unsafeDowncast(r.attachment.storeIfNil(RunnerStatusParts(r, startedAt: startedAt)), to: RunnerStatusParts.self)
    }
}
