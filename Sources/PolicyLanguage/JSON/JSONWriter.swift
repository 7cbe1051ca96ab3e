/// Builds JSON text into a byte buffer without Foundation; used for the API's responses
/// and for the canonical encoding of documents.
///
/// The writer places commas itself: call `key` before each member value of an object,
/// and nothing between array elements.
public struct JSONWriter: Sendable {
    // Inlinable where responses call it per field: the API's encoders live in another module,
    // and a call per key and value there cost more than the writing itself.

    /// The JSON written so far.
    public var bytes: [UInt8] { buffer }
    @usableFromInline var buffer: [UInt8] = []
    /// Whether the next value or key follows a sibling and needs a comma first.
    @usableFromInline var needsComma = false

    @inlinable public init(capacity: Int = 256) {
        buffer.reserveCapacity(capacity)
    }

    /// A writer that writes into `storage`'s memory (emptied first), e.g. a buffer kept from an
    /// earlier response.
    @inlinable public init(reusing storage: [UInt8], capacity: Int) {
        self.buffer = storage
        self.buffer.removeAll(keepingCapacity: true)
        buffer.reserveCapacity(capacity)
    }

    /// Opens an object; follow with `key`/value pairs and `endObject`.
    @inlinable public mutating func beginObject() {
        separate()
        buffer.append(UInt8(ascii: "{"))
        needsComma = false
    }

    @inlinable public mutating func endObject() {
        buffer.append(UInt8(ascii: "}"))
        needsComma = true
    }

    /// Opens an array; follow with its values and `endArray`.
    @inlinable public mutating func beginArray() {
        separate()
        buffer.append(UInt8(ascii: "["))
        needsComma = false
    }

    @inlinable public mutating func endArray() {
        buffer.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// Writes an object key; the next call writes its value.
    @inlinable public mutating func key(_ k: String) {
        separate()
        appendQuoted(k)
        buffer.append(UInt8(ascii: ":"))
        needsComma = false
    }

    /// Writes an object key given as the literal text of its quoted name and colon,
    /// `#""network_id":"#`: hot responses write their fixed keys in one copy, unscanned.
    @inlinable public mutating func rawKey(_ quotedKeyAndColon: StaticString) {
        separate()
        buffer.append(
            contentsOf: UnsafeBufferPointer(start: quotedKeyAndColon.utf8Start, count: quotedKeyAndColon.utf8CodeUnitCount))
        needsComma = false
    }

    @inlinable public mutating func string(_ s: String) {
        separate()
        appendQuoted(s)
        needsComma = true
    }

    @inlinable public mutating func int(_ i: Int) {
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
            buffer.append(contentsOf: d.description.utf8)
        } else {
            buffer.append(contentsOf: "null".utf8)
        }
        needsComma = true
    }

    @inlinable public mutating func bool(_ b: Bool) {
        separate()
        buffer.append(contentsOf: (b ? "true" : "false").utf8)
        needsComma = true
    }

    @inlinable public mutating func null() {
        separate()
        buffer.append(contentsOf: "null".utf8)
        needsComma = true
    }

    /// Appends object members encoded earlier (`"a":1,"b":2`, no braces, from ``members``),
    /// with the comma before them when one is due: fixed parts of a response encoded once.
    @inlinable public mutating func rawMembers(_ json: [UInt8]) {
        guard !json.isEmpty else { return }
        separate()
        buffer.append(contentsOf: json)
        needsComma = true
    }

    /// What a writer that began with `beginObject()` holds so far, without that opening
    /// brace: the members, as ``rawMembers(_:)`` takes them.
    public var members: [UInt8] {
        buffer.first == UInt8(ascii: "{") ? Array(buffer.dropFirst()) : []
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

    @inlinable mutating func separate() {
        if needsComma { buffer.append(UInt8(ascii: ",")) }
    }

    /// The decimal digits of `i`, without going through a String (responses write many integers).
    @inlinable mutating func appendDecimal(_ i: Int) {
        if i >= 0 && i < 10 {
            buffer.append(UInt8(ascii: "0") + UInt8(i))
            return
        }
        if i < 0 { buffer.append(UInt8(ascii: "-")) }
        var magnitude = i.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var start = digits.count
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            buffer.append(contentsOf: UnsafeMutableBufferPointer(rebasing: digits[start...]))
        }
    }

    /// Appends `s` quoted: `"` and `\` escaped with a backslash, control characters as `\u00xx`.
    @inlinable mutating func appendQuoted(_ s: String) {
        buffer.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { utf8 in
            // Keys and most values need no escape at all: one copy.
            if !utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
                buffer.append(contentsOf: utf8)
                return
            }
            var runStart = 0
            for (offset, byte) in utf8.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<offset]))
                if byte < 0x20 {
                    let hexDigits: StaticString = "0123456789abcdef"
                    buffer.append(contentsOf: "\\u00".utf8)
                    buffer.append(hexDigits.utf8Start[Int(byte >> 4)])
                    buffer.append(hexDigits.utf8Start[Int(byte & 0xF)])
                } else {
                    buffer.append(UInt8(ascii: "\\"))
                    buffer.append(byte)
                }
                runStart = offset + 1
            }
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
        buffer.append(UInt8(ascii: "\""))
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
