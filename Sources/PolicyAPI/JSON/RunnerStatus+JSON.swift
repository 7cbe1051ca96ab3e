import PolicyLanguage
import PolicyService

extension JSONWriter {
    /// RunnerStatus (openapi.yaml). The fields fixed for a runner's life come encoded from
    /// `fixed` (the API's `StatusPartsCache`); only the rest is written here.
    mutating func runnerStatus(_ s: RunnerStatus, fixed: RunnerStatusParts?) {
        let fixed = fixed ?? RunnerStatusParts(s, startedAt: 0)
        beginObject()
        rawMembers(fixed.identity)
        rawKey(#""state":"#); string(s.state.rawValue)
        rawMembers(fixed.policy)
        rawKey(#""peers":"#); int(s.peers)
        rawKey(#""cycle_num":"#); int(s.cycleNum)
        if let revision = s.revision {
            rawKey(#""revision":"#); int(Int(revision))
        }
        if s.sharesPeers {
            rawKey(#""cycle_owner":"#)
            if let owner = s.cycleOwner { string(owner) } else { null() }
        }
        rawKey(#""decisions":"#)
        beginObject()
        rawKey(#""allow":"#); int(s.decisions.allow)
        rawKey(#""deny":"#); int(s.decisions.deny)
        rawKey(#""errors":"#); int(s.decisions.errors)
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
