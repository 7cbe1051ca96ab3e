import PolicyLanguage
import PolicyService

extension DecisionInput {
    /// From a DecisionRequest body; a missing or non-gate `event`, or a field of the
    /// wrong type or out of range, is a 400.
    init(request body: JSONObjectReader) throws(APIError) {
        guard let name = try body.string("event") else { throw .badRequest("event is required (connect, dial or datagram)") }
        guard let event = EventKind(rawValue: name), event.isGate else {
            throw .badRequest("event must be connect, dial or datagram, not \(name)")
        }
        self.init(event: event)
        peerID = try body.int("peer_id", in: 0...4_294_967_295) ?? 0
        port = try body.int("port", in: 0...65535) ?? 0
        peerTags = try body.strings("peer_tags") ?? []
        localTags = try body.strings("local_tags") ?? []
        senderRating = try body.double("sender_rating") ?? 0
        size = try body.int("size", in: 0...Int.max) ?? 0
        direction = try body.string("direction") ?? ""
    }
}

extension MemberInput {
    /// The `members` list of a members body: ids 1...4294967295, unique.
    static func list(_ body: JSONObjectReader) throws(APIError) -> [MemberInput] {
        guard case .array(let items)? = body["members"] else { throw .badRequest("members must be an array") }
        var seen = Set<Int>()
        var out: [MemberInput] = []
        out.reserveCapacity(items.count)
        for (i, item) in items.enumerated() {
            guard case .object(let members) = item else { throw .badRequest("members[\(i)] must be an object") }
            let m = JSONObjectReader(members: members, path: "members[\(i)]")
            guard let id = try m.int("peer_id", in: 1...4_294_967_295) else {
                throw .badRequest("members[\(i)].peer_id is required")
            }
            guard seen.insert(id).inserted else { throw .badRequest("members[\(i)].peer_id \(id) is listed twice") }
            out.append(MemberInput(peerID: id, tags: try m.strings("tags") ?? []))
        }
        return out
    }
}
