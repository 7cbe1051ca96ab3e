import PolicyLanguage
import PolicyService

extension JSONWriter {
    /// RunnerStatus (http-api.md). The fields fixed for a runner's life are encoded on its
    /// first status and kept with it (`Runner.attachment`); each status writes only the rest.
    mutating func runnerStatus(_ r: Runner) {
        let counts = r.decisionCounts
        let lifecycle = r.lifecycleSnapshot
        let fixed = lifecycle.startedAt.map { RunnerStatusParts.of(r, startedAt: $0) } ?? RunnerStatusParts(r, startedAt: 0)
        beginObject()
        rawMembers(fixed.identity)
        key("state"); string(lifecycle.state.rawValue)
        rawMembers(fixed.policy)
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
