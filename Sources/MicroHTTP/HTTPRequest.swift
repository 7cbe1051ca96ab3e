import CMicroHTTPD
import CMicroHTTPDShims

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One HTTP request as the responder sees it.
///
/// A request built by the server is only valid during the `respond(to:)` call it is passed to:
/// headers and query parameters are looked up in libmicrohttpd's connection on demand (no
/// per-request dictionary), and once the handler returns those lookups answer nil. Copy out what
/// you need to keep. Requests built with the public initializer (for tests) carry their own values.
public struct HTTPRequest {
    /// The method as sent, e.g. "GET" or "PUT".
    public var method: String
    /// The percent-decoded path, without the query.
    public var path: String
    /// The whole body (empty when there is none).
    public var body: [UInt8]
    /// The protocol version as sent, e.g. "HTTP/1.1".
    public var httpVersion: String
    let source: Source

    /// Where header, query and address lookups are answered from.
    enum Source {
        /// A live libmicrohttpd request; valid only while the responder runs.
        case connection(RequestContext)
        /// Values given up front.
        case values(
            headers: [(name: String, value: String)],
            query: [(name: String, value: String?)],
            remoteAddress: String?
        )
    }

    init(method: String, path: String, body: [UInt8], httpVersion: String, context: RequestContext) {
        self.method = method
        self.path = path
        self.body = body
        self.httpVersion = httpVersion
        self.source = .connection(context)
    }

    /// A request that carries its own headers and query, for testing responders without a server
    /// (a nil query value stands for a bare name, as in `?force`).
    public init(
        method: String,
        path: String,
        headers: [(name: String, value: String)] = [],
        query: [(name: String, value: String?)] = [],
        body: [UInt8] = [],
        remoteAddress: String? = nil,
        httpVersion: String = "HTTP/1.1"
    ) {
        self.method = method
        self.path = path
        self.body = body
        self.httpVersion = httpVersion
        self.source = .values(headers: headers, query: query, remoteAddress: remoteAddress)
    }

    /// An empty buffer with room for at least `capacity` bytes, for the response body: on a
    /// keep-alive connection the storage of its previous response's body, so that a responder
    /// that builds its body in it allocates nothing. Taken once per request (a second call
    /// gets a new buffer); the server keeps the body it is given until the response is sent.
    public func responseBuffer(capacity: Int) -> [UInt8] {
        var buffer: [UInt8] = []
        guard case .connection(let context) = source, context.connection != nil, context.lentStorage == nil else {
            buffer.reserveCapacity(capacity)
            return buffer
        }
        swap(&buffer, &context.sentBody)
        buffer.reserveCapacity(capacity)
        context.lentStorage = buffer.withUnsafeBytes { $0.baseAddress }
        return buffer
    }

    /// The value of the first header called `name` (compared without regard to case), or nil.
    public func header(_ name: String) -> String? {
        switch source {
        case .connection(let context):
            lookup(.HEADER_KIND, name, in: context)
        case .values(let headers, _, _):
            headers.first { ASCII.caseInsensitiveEquals($0.name, name) }?.value
        }
    }

    /// Whether the first header called `name` (compared without regard to case) has exactly the
    /// bytes of `value`. Unlike ``header(_:)`` it builds no String, so hot paths can test for the
    /// usual value first.
    public func header(_ name: String, is value: String) -> Bool {
        switch source {
        case .connection(let context):
            guard let connection = context.connection else { return false }
            var found: UnsafePointer<CChar>?
            var length = 0
            let present = name.withCString {
                MHD_lookup_connection_value_n(connection, .HEADER_KIND, $0, name.utf8.count, &found, &length)
            }
            guard present == .YES, let found else { return present == .YES && value.isEmpty }
            var expected = value
            return expected.withUTF8 { $0.count == length && (length == 0 || memcmp($0.baseAddress!, found, length) == 0) }
        case .values(let headers, _, _):
            return headers.first { ASCII.caseInsensitiveEquals($0.name, name) }?.value == value
        }
    }

    /// The decoded value of query parameter `name`; "" when it is present without a value; nil when absent.
    public func query(_ name: String) -> String? {
        switch source {
        case .connection(let context):
            lookup(.GET_ARGUMENT_KIND, name, in: context)
        case .values(_, let query, _):
            query.first { $0.name == name }.map { $0.value ?? "" }
        }
    }

    /// The client's IP address, e.g. "127.0.0.1" or "::1" (IPv4-mapped IPv6 addresses are shown as IPv4).
    public var remoteAddress: String? {
        switch source {
        case .connection(let context):
            context.connection.flatMap { SocketAddress.describe(CMHD_connection_client_address($0)) }
        case .values(_, _, let remoteAddress):
            remoteAddress
        }
    }

    private func lookup(_ kind: MHD_ValueKind, _ key: String, in context: RequestContext) -> String? {
        guard let connection = context.connection else { return nil }
        var value: UnsafePointer<CChar>?
        var length = 0
        let found = key.withCString {
            MHD_lookup_connection_value_n(connection, kind, $0, key.utf8.count, &value, &length)
        }
        guard found == .YES else { return nil }
        guard let value else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: value, count: length), as: UTF8.self)
    }
}
