import MicroHTTP
import PolicyLanguage
import PolicyService

extension DecisionInput {
    /// From a DecisionRequest body; a missing or non-gate `event`, or a field of the
    /// wrong type or out of range, is a 400.
    ///
    /// The usual body (a flat object) is read by the flat scanner, without a JSON tree; any
    /// other body goes through the general parser, which gives the exact value or error. Both
    /// end in the same checks, in the same order.
    static func parse(_ request: HTTPRequest, parser: JSONParser) throws(APIError) -> DecisionInput {
        try RequestBody.checkContentType(request)
        var fields = DecisionFields()
        if parser.scanFlatObject(request.body, { key, value in fields.set(key, value) }) {
            return try DecisionInput(fields)
        }
        return try DecisionInput(request: try RequestBody.parseObject(request.body, parser: parser))
    }

    /// From a DecisionRequest object read by the general parser.
    init(request body: JSONObjectReader) throws(APIError) {
        try self.init(DecisionFields(body))
    }

    /// From a DecisionRequest's fields; `event` given by the caller replaces the body's.
    init(_ f: DecisionFields, event given: EventKind? = nil) throws(APIError) {
        if let given {
            self.init(event: given)
        } else {
            guard let name = try JSONField.string(f.event, name: "event") else {
                throw .badRequest("event is required (connect, dial or datagram)")
            }
            guard let event = EventKind(rawValue: name), event.isGate else {
                throw .badRequest("event must be connect, dial or datagram, not \(name)")
            }
            self.init(event: event)
        }
        peerID = try JSONField.int(f.peerID, name: "peer_id", in: 0...4_294_967_295) ?? 0
        port = try JSONField.int(f.port, name: "port", in: 0...65535) ?? 0
        peerTags = try JSONField.strings(f.peerTags, name: "peer_tags") ?? []
        localTags = try JSONField.strings(f.localTags, name: "local_tags") ?? []
        senderRating = try JSONField.double(f.senderRating, name: "sender_rating") ?? 0
        size = try JSONField.int(f.size, name: "size", in: 0...Int.max) ?? 0
        direction = try JSONField.string(f.direction, name: "direction") ?? ""
    }
}

/// The members of a DecisionRequest that mean something (others are ignored), as read.
struct DecisionFields {
    static let keys = ["event", "peer_id", "port", "peer_tags", "local_tags", "sender_rating", "size", "direction"]

    init() {}

    /// The members of an object read by the general parser.
    init(_ body: JSONObjectReader) {
        for key in Self.keys {
            if let value = body[key] { set(key, .value(value)) }
        }
    }

    var event: JSONValue?
    var peerID: JSONValue?
    var port: JSONValue?
    var peerTags: JSONFlatValue?
    var localTags: JSONFlatValue?
    var senderRating: JSONValue?
    var size: JSONValue?
    var direction: JSONValue?

    /// Keeps `value` if `key` is one of ``keys`` (each key compared once).
    mutating func set(_ key: String, _ value: JSONFlatValue) {
        switch key {
        case "event": event = value.jsonValue
        case "peer_id": peerID = value.jsonValue
        case "port": port = value.jsonValue
        case "peer_tags": peerTags = value
        case "local_tags": localTags = value
        case "sender_rating": senderRating = value.jsonValue
        case "size": size = value.jsonValue
        case "direction": direction = value.jsonValue
        default: break
        }
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
