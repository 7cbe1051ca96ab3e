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
        rawKey(#""state":"#); string(lifecycle.state.rawValue)
        rawMembers(fixed.policy)
        rawKey(#""peers":"#); int(r.peers.count)
        rawKey(#""cycle_num":"#); int(lifecycle.cycleNum)
        if let revision = r.revision {
            rawKey(#""revision":"#); int(Int(revision))
        }
        if r.sharesPeers {
            rawKey(#""cycle_owner":"#)
            if let owner = r.cycleOwner { string(owner) } else { null() }
        }
        rawKey(#""decisions":"#)
        beginObject()
        rawKey(#""allow":"#); int(counts.allow)
        rawKey(#""deny":"#); int(counts.deny)
        rawKey(#""errors":"#); int(counts.errors)
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
