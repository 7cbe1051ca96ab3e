import PolicyLanguage
import PolicyService

/// The members of a RunnerStatus that never change once the runner started, encoded once:
/// `network_id`, `generation` (before `state`) and `etag` ... `started_at` (after it).
final class RunnerStatusParts: Sendable {
    let generation: Int
    let identity: [UInt8]
    let policy: [UInt8]

    init(_ s: RunnerStatus, startedAt: Double) {
        generation = s.generation
        var w = JSONWriter(capacity: 48)
        w.beginObject()
        w.key("network_id"); w.int(s.networkID)
        w.key("generation"); w.int(s.generation)
        identity = w.members
        w = JSONWriter(capacity: 256)
        w.beginObject()
        w.key("etag"); w.string(s.etag)
        w.key("rules"); w.int(s.rules)
        w.key("default_verdict"); w.string(s.defaultVerdict.rawValue)
        w.key("fail_closed"); w.bool(s.failClosed)
        w.key("cycle")
        if let cycle = s.cycle { w.string(cycle) } else { w.null() }
        w.key("max_peers")
        if let max = s.maxPeers { w.int(max) } else { w.null() }
        w.key("started_at"); w.string(Timestamp.rfc3339(startedAt))
        policy = w.members
    }
}
