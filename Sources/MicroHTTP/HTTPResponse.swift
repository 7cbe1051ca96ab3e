/// A complete HTTP response: status, headers and body, sent as one buffer.
///
/// The server adds `Content-Length` itself (any `Content-Length` given here is ignored) and sends
/// no `Content-Type` unless one is given. For `HEAD` requests the body is left out on the wire.
public struct HTTPResponse: Sendable {
    /// Status code, 100...999.
    public var status: Int
    /// Header fields in the order they are sent; names may repeat.
    public var headers: [(name: String, value: String)]
    /// Body bytes.
    public var body: [UInt8]
    /// A response with the given status, headers and body.
    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}
