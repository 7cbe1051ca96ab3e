import CMicroHTTPD

extension HTTPRequest {
    /// Every query parameter in the order sent, decoded. `value` is nil for a bare name (`?force`)
    /// and "" for an empty value (`?force=`). Repeated names are listed each time.
    public var queryItems: [(name: String, value: String?)] {
        switch source {
        case .connection(let context):
            guard let connection = context.connection,
                MHD_get_connection_values_n(connection, .GET_ARGUMENT_KIND, nil, nil) > 0
            else { return [] }
            return Self.values(.GET_ARGUMENT_KIND, of: connection)
        case .values(_, let query, _):
            return query
        }
    }

    /// The values of every header called `name` (compared without regard to case), in the order
    /// sent: a field sent on several lines is one list (RFC 9110, section 5.3).
    public func headerValues(_ name: String) -> [String] {
        switch source {
        case .connection(let context):
            guard let connection = context.connection else { return [] }
            return Self.values(.HEADER_KIND, of: connection).compactMap {
                ASCII.caseInsensitiveEquals($0.name, name) ? $0.value ?? "" : nil
            }
        case .values(let headers, _, _):
            return headers.compactMap { ASCII.caseInsensitiveEquals($0.name, name) ? $0.value : nil }
        }
    }

    /// The name-value pairs of one kind of the connection's request, in order, through
    /// libmicrohttpd's iterator (lengths given, so a value with a NUL byte in it arrives whole).
    static func values(_ kind: MHD_ValueKind, of connection: OpaquePointer) -> [(name: String, value: String?)] {
        let collector = ValueCollector()
        withExtendedLifetime(collector) {
            _ = MHD_get_connection_values_n(
                connection, kind, mhdCollectValue, Unmanaged.passUnretained(collector).toOpaque())
        }
        return collector.items
    }
}

/// Gathers what ``mhdCollectValue`` is handed; lives only for one iteration, on one thread.
private final class ValueCollector {
    var items: [(name: String, value: String?)] = []
}

/// `MHD_KeyValueIteratorN`: appends one name-value pair to the ``ValueCollector`` in `cls`.
private func mhdCollectValue(
    cls: UnsafeMutableRawPointer?,
    kind: MHD_ValueKind,
    key: UnsafePointer<CChar>?,
    keySize: Int,
    value: UnsafePointer<CChar>?,
    valueSize: Int
) -> MHD_Result {
    guard let cls, let key else { return .YES }
    let collector = Unmanaged<ValueCollector>.fromOpaque(cls).takeUnretainedValue()
    let name = String(decoding: UnsafeRawBufferPointer(start: key, count: keySize), as: UTF8.self)
    let text = value.map { String(decoding: UnsafeRawBufferPointer(start: $0, count: valueSize), as: UTF8.self) }
    collector.items.append((name, text))
    return .YES
}
