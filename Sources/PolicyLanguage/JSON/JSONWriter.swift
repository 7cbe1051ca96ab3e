/// Builds JSON text into a byte buffer without Foundation; used for the API's responses
/// and for the canonical encoding of documents.
///
/// The writer places commas itself: call `key` before each member value of an object,
/// and nothing between array elements.
public struct JSONWriter: Sendable {
    /// The JSON written so far.
    public private(set) var bytes: [UInt8] = []
    /// Whether the next value or key follows a sibling and needs a comma first.
    private var needsComma = false

    public init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    /// A writer that writes into `buffer`'s storage (emptied first), e.g. a buffer kept from an
    /// earlier response.
    public init(reusing buffer: [UInt8], capacity: Int) {
        bytes = buffer
        bytes.removeAll(keepingCapacity: true)
        bytes.reserveCapacity(capacity)
    }

    /// Opens an object; follow with `key`/value pairs and `endObject`.
    public mutating func beginObject() {
        separate()
        bytes.append(JSONByte.openBrace)
        needsComma = false
    }

    public mutating func endObject() {
        bytes.append(JSONByte.closeBrace)
        needsComma = true
    }

    /// Opens an array; follow with its values and `endArray`.
    public mutating func beginArray() {
        separate()
        bytes.append(JSONByte.openBracket)
        needsComma = false
    }

    public mutating func endArray() {
        bytes.append(JSONByte.closeBracket)
        needsComma = true
    }

    /// Writes an object key; the next call writes its value.
    public mutating func key(_ k: String) {
        separate()
        appendQuoted(k)
        bytes.append(JSONByte.colon)
        needsComma = false
    }

    /// Writes an object key given as the literal text of its quoted name and colon,
    /// `#""network_id":"#`: hot responses write their fixed keys in one copy, unscanned.
    public mutating func rawKey(_ quotedKeyAndColon: StaticString) {
        separate()
        bytes.append(
            contentsOf: UnsafeBufferPointer(start: quotedKeyAndColon.utf8Start, count: quotedKeyAndColon.utf8CodeUnitCount))
        needsComma = false
    }

    public mutating func string(_ s: String) {
        separate()
        appendQuoted(s)
        needsComma = true
    }

    public mutating func int(_ i: Int) {
        separate()
        appendDecimal(i)
        needsComma = true
    }

    /// Writes `[ "a", "b" ]`.
    public mutating func strings(_ list: [String]) {
        beginArray()
        for s in list { string(s) }
        endArray()
    }

    /// Writes `[ 1, 2 ]`.
    public mutating func ints(_ list: [Int]) {
        beginArray()
        for i in list { int(i) }
        endArray()
    }

    /// Writes the shortest text that parses back to `d` (`Double.description`, so integral
    /// values keep a `.0` and large ones use an exponent); NaN and infinities become `null`.
    public mutating func double(_ d: Double) {
        separate()
        if d.isFinite {
            bytes.append(contentsOf: d.description.utf8)
        } else {
            bytes.append(contentsOf: "null".utf8)
        }
        needsComma = true
    }

    public mutating func bool(_ b: Bool) {
        separate()
        bytes.append(contentsOf: (b ? "true" : "false").utf8)
        needsComma = true
    }

    public mutating func null() {
        separate()
        bytes.append(contentsOf: "null".utf8)
        needsComma = true
    }

    /// Appends object members encoded earlier (`"a":1,"b":2`, no braces, from ``members``),
    /// with the comma before them when one is due: fixed parts of a response encoded once.
    public mutating func rawMembers(_ json: [UInt8]) {
        guard !json.isEmpty else { return }
        separate()
        bytes.append(contentsOf: json)
        needsComma = true
    }

    /// What a writer that began with `beginObject()` holds so far, without that opening
    /// brace: the members, as ``rawMembers(_:)`` takes them.
    public var members: [UInt8] {
        bytes.first == JSONByte.openBrace ? Array(bytes.dropFirst()) : []
    }

    /// Writes a whole value, object members in their stored order.
    public mutating func value(_ v: JSONValue) {
        write(v, sortKeys: false)
    }

    /// Writes a whole value; with `sortKeys`, object members ordered bytewise by the UTF-8 of their keys.
    mutating func write(_ v: JSONValue, sortKeys: Bool) {
        switch v {
        case .null: null()
        case .bool(let b): bool(b)
        case .int(let i): int(i)
        case .double(let d): double(d)
        case .string(let s): string(s)
        case .array(let elements):
            beginArray()
            for element in elements { write(element, sortKeys: sortKeys) }
            endArray()
        case .object(let members):
            beginObject()
            if sortKeys {
                for member in members.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
                    key(member.key)
                    write(member.value, sortKeys: true)
                }
            } else {
                for member in members {
                    key(member.key)
                    write(member.value, sortKeys: false)
                }
            }
            endObject()
        }
    }

    private mutating func separate() {
        if needsComma { bytes.append(JSONByte.comma) }
    }

    /// The decimal digits of `i`, without going through a String (responses write many integers).
    private mutating func appendDecimal(_ i: Int) {
        if i >= 0 && i < 10 {
            bytes.append(UInt8(ascii: "0") + UInt8(i))
            return
        }
        if i < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = i.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var start = digits.count
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            bytes.append(contentsOf: UnsafeMutableBufferPointer(rebasing: digits[start...]))
        }
    }

    /// Appends `s` quoted: `"` and `\` escaped with a backslash, control characters as `\u00xx`.
    private mutating func appendQuoted(_ s: String) {
        bytes.append(JSONByte.quote)
        var s = s
        s.withUTF8 { utf8 in
            // Keys and most values need no escape at all: one copy.
            if !utf8.contains(where: { $0 < 0x20 || $0 == JSONByte.quote || $0 == JSONByte.backslash }) {
                bytes.append(contentsOf: utf8)
                return
            }
            var runStart = 0
            for (offset, byte) in utf8.enumerated() where byte < 0x20 || byte == JSONByte.quote || byte == JSONByte.backslash {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<offset]))
                if byte < 0x20 {
                    let hexDigits: StaticString = "0123456789abcdef"
                    bytes.append(contentsOf: "\\u00".utf8)
                    bytes.append(hexDigits.utf8Start[Int(byte >> 4)])
                    bytes.append(hexDigits.utf8Start[Int(byte & 0xF)])
                } else {
                    bytes.append(JSONByte.backslash)
                    bytes.append(byte)
                }
                runStart = offset + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
        bytes.append(JSONByte.quote)
    }
}

extension JSONValue {
    /// Canonical encoding: object keys sorted bytewise, no insignificant white space,
    /// integers as written, doubles in the shortest form that round-trips.
    public var canonicalBytes: [UInt8] {
        var writer = JSONWriter()
        writer.write(self, sortKeys: true)
        return writer.bytes
    }
}
