import PolicyLanguage
import PolicyService

extension JSONWriter {
    /// RunnerStatus (openapi.yaml). The fields fixed for a runner's life are encoded on its
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
        if let revision = r.revision {
            key("revision"); int(Int(revision))
        }
        if r.sharesPeers {
            key("cycle_owner")
            if let owner = r.cycleOwner { string(owner) } else { null() }
        }
        key("decisions")
        beginObject()
        key("allow"); int(counts.allow)
        key("deny"); int(counts.deny)
        key("errors"); int(counts.errors)
        endObject()
        endObject()
    }

    /// `[{"type","rule"}...]`.
    mutating func directives(_ list: some Sequence<(ActionType, String)>) {
        beginArray()
        for (type, rule) in list { directive(type: type, rule: rule) }
        endArray()
    }
}
