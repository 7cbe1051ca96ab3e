/// Builds JSON text into a byte buffer without Foundation; used for the API's responses
/// and for the canonical encoding of documents.
public struct JSONWriter: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    // CONTRACT STUB: the real writer tracks commas itself; these are its calls.
    public mutating func beginObject() {}
    public mutating func endObject() {}
    public mutating func beginArray() {}
    public mutating func endArray() {}
    public mutating func key(_ k: String) {}
    public mutating func string(_ s: String) {}
    public mutating func int(_ i: Int) {}
    public mutating func double(_ d: Double) {}
    public mutating func bool(_ b: Bool) {}
    public mutating func null() {}
    public mutating func value(_ v: JSONValue) {}
}

extension JSONValue {
    /// Canonical encoding: object keys sorted bytewise, no insignificant white space,
    /// integers as written, doubles in the shortest form that round-trips.
    public var canonicalBytes: [UInt8] { [] }
}
