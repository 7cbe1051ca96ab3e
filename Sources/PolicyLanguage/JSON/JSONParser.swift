/// A strict JSON parser (RFC 8259): valid UTF-8 only, duplicate keys rejected,
/// nesting bounded by `maxDepth`.
public struct JSONParser: Sendable {
    public var maxDepth: Int

    public init(maxDepth: Int = 64) {
        self.maxDepth = maxDepth
    }

    // CONTRACT STUB: replaced by the real parser.
    public func parse(_ bytes: some Collection<UInt8>) throws(JSONError) -> JSONValue {
        throw JSONError(message: "not implemented", offset: 0)
    }
}
