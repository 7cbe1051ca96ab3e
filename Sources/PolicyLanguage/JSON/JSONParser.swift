/// A strict JSON parser (RFC 8259): valid UTF-8 only, duplicate keys rejected,
/// nesting bounded by `maxDepth`.
public struct JSONParser: Sendable {
    /// The deepest nesting of arrays and objects accepted (64 by default).
    public var maxDepth: Int

    public init(maxDepth: Int = 64) {
        self.maxDepth = maxDepth
    }

    /// Parses one JSON text: a single value with optional white space around it, nothing else.
    public func parse(_ bytes: some Collection<UInt8>) throws(JSONError) -> JSONValue {
        let result = bytes.withContiguousStorageIfAvailable { buffer in
            parseResult(buffer)
        }
        if let result { return try result.get() }
        return try Array(bytes).withUnsafeBufferPointer { parseResult($0) }.get()
    }

    /// Parses one JSON text from an array (request bodies): not generic, so callers in other
    /// modules do not go through generic dispatch to reach the scanner.
    public func parse(_ bytes: [UInt8]) throws(JSONError) -> JSONValue {
        try bytes.withUnsafeBufferPointer { parseResult($0) }.get()
    }

    private func parseResult(_ buffer: UnsafeBufferPointer<UInt8>) -> Result<JSONValue, JSONError> {
        var scanner = JSONScanner(buffer, maxDepth: maxDepth)
        return Result { () throws(JSONError) in try scanner.parseDocument() }
    }
}
