/// The parser's cursor over a contiguous buffer. Nesting is handled with explicit
/// stacks, never recursion, so no input can exhaust the call stack.
struct JSONScanner {
    let buffer: UnsafeBufferPointer<UInt8>
    let maxDepth: Int
    var index = 0

    init(_ buffer: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.buffer = buffer
        self.maxDepth = maxDepth
    }

    /// An open array or object: where its elements start on the shared stack of its kind.
    private struct Frame {
        var isObject: Bool
        var start: Int
        /// The key whose value is being parsed (objects only).
        var key = ""
        /// Keys seen so far, built only once an object grows past a few members.
        var seen: Set<String>?
    }

    /// An object member on the stack (a struct: tuples in arrays go through slow generic copies).
    private struct Member {
        var key: String
        var value: JSONValue
    }

    mutating func parseDocument() throws(JSONError) -> JSONValue {
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        if index != buffer.count { throw error("trailing characters after the JSON value") }
        return value
    }

    private mutating func parseValue() throws(JSONError) -> JSONValue {
        var frames: [Frame] = []
        var elements: [JSONValue] = []
        var members: [Member] = []
        // Typical documents (request bodies, policies) then never grow these stacks.
        if index < buffer.count, buffer[index] == JSONByte.openBrace || buffer[index] == JSONByte.openBracket {
            frames.reserveCapacity(8)
            elements.reserveCapacity(16)
            members.reserveCapacity(16)
        }
        nextValue: while true {
            skipWhitespace()
            guard index < buffer.count else { throw error("unexpected end of input, expected a value") }
            var value: JSONValue
            switch buffer[index] {
            case JSONByte.quote:
                index += 1
                value = .string(try parseString())
            case JSONByte.openBrace, JSONByte.openBracket:
                let isObject = buffer[index] == JSONByte.openBrace
                if frames.count >= maxDepth { throw error("nesting deeper than \(maxDepth) levels") }
                index += 1
                skipWhitespace()
                if index < buffer.count, buffer[index] == (isObject ? JSONByte.closeBrace : JSONByte.closeBracket) {
                    index += 1
                    value = isObject ? .object([]) : .array([])
                } else {
                    frames.append(Frame(isObject: isObject, start: isObject ? members.count : elements.count))
                    if isObject { try parseKey(frame: &frames[frames.count - 1], members: members) }
                    continue nextValue
                }
            case UInt8(ascii: "t"): value = .bool(try parseLiteral("true", true))
            case UInt8(ascii: "f"): value = .bool(try parseLiteral("false", false))
            case UInt8(ascii: "n"): _ = try parseLiteral("null", true); value = .null
            case JSONByte.minus, JSONByte.zero...JSONByte.nine: value = try parseNumber()
            default: throw unexpected("expected a value")
            }
            // A value is complete: attach it to the open containers, closing those that end here.
            while !frames.isEmpty {
                let top = frames.count - 1
                let isObject = frames[top].isObject
                if isObject {
                    members.append(Member(key: frames[top].key, value: value))
                } else {
                    elements.append(value)
                }
                skipWhitespace()
                guard index < buffer.count else {
                    throw error("unexpected end of input inside \(isObject ? "an object" : "an array")")
                }
                let byte = buffer[index]
                if byte == JSONByte.comma {
                    index += 1
                    if isObject { try parseKey(frame: &frames[top], members: members) }
                    continue nextValue
                }
                guard byte == (isObject ? JSONByte.closeBrace : JSONByte.closeBracket) else {
                    throw unexpected(isObject ? "expected ',' or '}'" : "expected ',' or ']'")
                }
                index += 1
                let start = frames.removeLast().start
                if isObject {
                    value = .object(members[start...].map { (key: $0.key, value: $0.value) })
                    members.removeSubrange(start...)
                } else {
                    value = .array(Array(elements[start...]))
                    elements.removeSubrange(start...)
                }
            }
            return value
        }
    }

    /// Reads `"key" :` into the object frame on top of the stack, rejecting a key
    /// its members (from `frame.start` on) already have.
    private mutating func parseKey(frame: inout Frame, members: [Member]) throws(JSONError) {
        skipWhitespace()
        guard index < buffer.count else { throw error("unexpected end of input, expected an object key") }
        guard buffer[index] == JSONByte.quote else { throw unexpected("expected an object key") }
        let keyOffset = index
        index += 1
        let key = try parseString()
        let existing = members[frame.start...]
        var duplicate = false
        if let seen = frame.seen {
            duplicate = seen.contains(key)
        } else if existing.count < 8 {
            // Comparing lengths first keeps most mismatches off String's slow comparison.
            let length = key.utf8.count
            duplicate = existing.contains { $0.key.utf8.count == length && $0.key == key }
        } else {
            let seen = Set(existing.lazy.map(\.key))
            duplicate = seen.contains(key)
            frame.seen = seen
        }
        if duplicate { throw JSONError(message: "duplicate object key \"\(key)\"", offset: keyOffset) }
        frame.seen?.insert(key)
        frame.key = key
        skipWhitespace()
        guard index < buffer.count else { throw error("unexpected end of input, expected ':'") }
        guard buffer[index] == JSONByte.colon else { throw unexpected("expected ':' after an object key") }
        index += 1
    }

    mutating func parseLiteral(_ word: StaticString, _ result: Bool) throws(JSONError) -> Bool {
        let start = index
        let count = word.utf8CodeUnitCount
        guard buffer.count - index >= count else { throw JSONError(message: "invalid literal", offset: start) }
        for k in 0..<count where buffer[index + k] != word.utf8Start[k] {
            throw JSONError(message: "invalid literal", offset: start)
        }
        index += count
        return result
    }

    mutating func skipWhitespace() {
        while index < buffer.count {
            switch buffer[index] {
            case JSONByte.space, JSONByte.tab, JSONByte.newline, JSONByte.carriageReturn: index += 1
            default: return
            }
        }
    }

    func error(_ message: String) -> JSONError {
        JSONError(message: message, offset: index)
    }

    /// An error naming the byte found at the cursor.
    func unexpected(_ expectation: String) -> JSONError {
        let byte = buffer[index]
        let found = byte >= 0x20 && byte < 0x7F ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x" + byte.jsonHexDigits
        return error("unexpected \(found), \(expectation)")
    }
}
