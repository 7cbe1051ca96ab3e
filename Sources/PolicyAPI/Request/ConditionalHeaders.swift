import MicroHTTP

/// If-Match and If-None-Match as RFC 9110 writes them: `*`, or a comma-separated list of entity
/// tags (`"…"` or `W/"…"`; inside the quotes any byte but controls, space, `"` and DEL). A field
/// sent on several lines is one list. Anything else is 400 `bad_request`, so 412 is left for
/// well-formed conditions that fail.
///
/// An empty list (an empty field, or only commas) is refused too: the grammar allows it, but it
/// can only come from a client that meant to send a tag and had none (an unset variable).
enum ConditionalHeaders {
    /// The condition in the field `name`, nil when the request has no such field.
    static func condition(_ request: HTTPRequest, _ name: String) throws(APIError) -> ETagCondition? {
        let lines = request.headerValues(name)
        guard !lines.isEmpty else { return nil }
        let value = lines.joined(separator: ", ")
        guard let condition = parse(value) else {
            throw .badRequest(
                "\(name) must be * or a list of entity tags such as \"9f2c\" or W/\"9f2c\" (RFC 9110), not '\(value.prefix(64))'")
        }
        return condition
    }

    /// The condition a field value states, or nil when it is malformed.
    static func parse(_ value: String) -> ETagCondition? {
        let bytes = Array(value.utf8)
        var i = 0
        var end = bytes.count
        while i < end, isSpace(bytes[i]) { i += 1 }
        while end > i, isSpace(bytes[end - 1]) { end -= 1 }
        if end - i == 1, bytes[i] == UInt8(ascii: "*") { return .any }
        var tags: [EntityTag] = []
        while i < end {
            // Empty list elements and the white space around commas are skipped.
            if bytes[i] == UInt8(ascii: ",") || isSpace(bytes[i]) {
                i += 1
                continue
            }
            var weak = false
            if bytes[i] == UInt8(ascii: "W"), i + 1 < end, bytes[i + 1] == UInt8(ascii: "/") {
                weak = true
                i += 2
            }
            guard i < end, bytes[i] == UInt8(ascii: "\"") else { return nil }
            let start = i
            i += 1
            while i < end, isETagChar(bytes[i]) { i += 1 }
            guard i < end, bytes[i] == UInt8(ascii: "\"") else { return nil }
            i += 1
            tags.append(EntityTag(String(decoding: bytes[start..<i], as: UTF8.self), weak: weak))
            while i < end, isSpace(bytes[i]) { i += 1 }
            guard i == end || bytes[i] == UInt8(ascii: ",") else { return nil }
        }
        return tags.isEmpty ? nil : .tags(tags)
    }

    /// OWS: space or horizontal tab.
    private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }

    /// etagc: %x21 / %x23-7E / obs-text (%x80-FF).
    private static func isETagChar(_ b: UInt8) -> Bool { b == 0x21 || (0x23...0x7E).contains(b) || b >= 0x80 }
}
