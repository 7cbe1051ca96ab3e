import PolicyLanguage
import PolicyService

extension JSONWriter {
    /// RunnerStatus (http-api.md).
    mutating func runnerStatus(_ r: Runner) {
        let counts = r.decisionCounts
        let lifecycle = r.lifecycleSnapshot
        beginObject()
        key("network_id"); int(r.networkID)
        key("generation"); int(r.generation)
        key("state"); string(lifecycle.state.rawValue)
        key("etag"); string(r.etag)
        key("rules"); int(r.policy.rules.count)
        key("default_verdict"); string(r.policy.defaultVerdict.rawValue)
        key("fail_closed"); bool(r.policy.failClosed)
        key("cycle")
        if let cycle = r.policy.config.cycle { string(cycle) } else { null() }
        key("max_peers")
        if let max = r.policy.config.maxPeers { int(max) } else { null() }
        key("started_at"); string(Timestamp.rfc3339(lifecycle.startedAt ?? 0))
        key("peers"); int(r.peers.count)
        key("cycle_num"); int(lifecycle.cycleNum)
        key("decisions")
        beginObject()
        key("allow"); int(counts.allow)
        key("deny"); int(counts.deny)
        key("errors"); int(counts.errors)
        endObject()
        endObject()
    }

    /// Decision (http-api.md): `rule` is the deciding rule, or the failing one with `error`.
    mutating func decision(_ d: GateDecision, runner: Runner) {
        beginObject()
        key("network_id"); int(runner.networkID)
        key("generation"); int(runner.generation)
        key("verdict"); string(d.verdict.rawValue)
        key("rule"); string(d.rule)
        key("directives")
        directives(d.directives.lazy.map { ($0.type, $0.rule) })
        if let error = d.error {
            key("error"); string(error.description)
        }
        endObject()
    }

    /// `[{"type","rule"}...]`.
    mutating func directives(_ list: some Sequence<(ActionType, String)>) {
        beginArray()
        for (type, rule) in list {
            beginObject()
            key("type"); string(type.rawValue)
            key("rule"); string(rule)
            endObject()
        }
        endArray()
    }

    mutating func intArray(_ list: [Int]) {
        beginArray()
        for i in list { int(i) }
        endArray()
    }

    mutating func stringArray(_ list: [String]) {
        beginArray()
        for s in list { string(s) }
        endArray()
    }
}
