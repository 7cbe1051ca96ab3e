/// The fast path for small request bodies: one object whose members are scalars or arrays of
/// strings, read without building a JSONValue tree or the general parser's stacks.
extension JSONParser {
    /// Most keys a flat object may have; bigger objects go through ``parse(_:)-([UInt8])``.
    public static let flatObjectMaxKeys = 16

    /// Reads `bytes` as one flat JSON object, calling `visit` for each member in order.
    ///
    /// Returns true only when `bytes` is valid JSON (exactly as ``parse(_:)-([UInt8])`` would accept
    /// it) that is an object of at most ``flatObjectMaxKeys`` members, each a scalar or an array
    /// of strings. Anything else (nested objects, other arrays, duplicate keys, any error, depth
    /// limits the general parser would enforce) returns false, possibly after some calls of
    /// `visit`: the caller then discards what it collected and uses the general parser, which
    /// gives the exact value or error.
    public func scanFlatObject(_ bytes: [UInt8], _ visit: (String, JSONFlatValue) -> Void) -> Bool {
        bytes.withUnsafeBufferPointer { buffer in
            var scanner = JSONScanner(buffer, maxDepth: maxDepth)
            return (try? scanner.scanFlatObject(visit)) ?? false
        }
    }
}

extension JSONScanner {
    mutating func scanFlatObject(_ visit: (String, JSONFlatValue) -> Void) throws(JSONError) -> Bool {
        skipWhitespace()
        guard maxDepth >= 1, index < buffer.count, buffer[index] == JSONByte.openBrace else { return false }
        index += 1
        skipWhitespace()
        guard index < buffer.count else { return false }
        if buffer[index] == JSONByte.closeBrace {
            index += 1
        } else {
            let complete = try withUnsafeTemporaryAllocation(of: String.self, capacity: JSONParser.flatObjectMaxKeys) {
                keys throws(JSONError) -> Bool in
                var count = 0
                defer { _ = keys.baseAddress.map { $0.deinitialize(count: count) } }
                return try scanMembers(keys: keys, count: &count, visit)
            }
            guard complete else { return false }
        }
        skipWhitespace()
        return index == buffer.count
    }

    /// The members after the opening brace, up to and including the closing one.
    private mutating func scanMembers(
        keys: UnsafeMutableBufferPointer<String>,
        count: inout Int,
        _ visit: (String, JSONFlatValue) -> Void
    ) throws(JSONError) -> Bool {
        while true {
            skipWhitespace()
            guard index < buffer.count, buffer[index] == JSONByte.quote else { return false }
            index += 1
            let key = try parseString()
            guard count < keys.count, !keys[..<count].contains(key) else { return false }
            keys.initializeElement(at: count, to: key)
            count += 1
            skipWhitespace()
            guard index < buffer.count, buffer[index] == JSONByte.colon else { return false }
            index += 1
            skipWhitespace()
            guard index < buffer.count else { return false }
            let value: JSONFlatValue
            switch buffer[index] {
            case JSONByte.quote:
                index += 1
                value = .value(.string(try parseString()))
            case JSONByte.openBracket:
                // The general parser needs a second level of depth for any array, even [].
                guard maxDepth >= 2, let strings = try scanStringArray() else { return false }
                value = .strings(strings)
            case UInt8(ascii: "t"): value = .value(.bool(try parseLiteral("true", true)))
            case UInt8(ascii: "f"): value = .value(.bool(try parseLiteral("false", false)))
            case UInt8(ascii: "n"):
                _ = try parseLiteral("null", true)
                value = .value(.null)
            case JSONByte.minus, JSONByte.zero...JSONByte.nine: value = .value(try parseNumber())
            default: return false
            }
            visit(key, value)
            skipWhitespace()
            guard index < buffer.count else { return false }
            if buffer[index] == JSONByte.comma {
                index += 1
                continue
            }
            guard buffer[index] == JSONByte.closeBrace else { return false }
            index += 1
            return true
        }
    }

    /// An array of strings at the cursor (its opening bracket); nil when an element is not a string.
    private mutating func scanStringArray() throws(JSONError) -> [String]? {
        index += 1
        var strings: [String] = []
        skipWhitespace()
        if index < buffer.count, buffer[index] == JSONByte.closeBracket {
            index += 1
            return strings
        }
        strings.reserveCapacity(4)
        while true {
            skipWhitespace()
            guard index < buffer.count, buffer[index] == JSONByte.quote else { return nil }
            index += 1
            strings.append(try parseString())
            skipWhitespace()
            guard index < buffer.count else { return nil }
            if buffer[index] == JSONByte.comma {
                index += 1
                continue
            }
            guard buffer[index] == JSONByte.closeBracket else { return nil }
            index += 1
            return strings
        }
    }
}
