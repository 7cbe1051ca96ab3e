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
    /// True only for ``needsWorkerThread`` and ``later(ifStopped:_:)``.
    public internal(set) var movesToWorkerThread = false
    /// Set only by ``later(ifStopped:_:)``: the connection waits, suspended, for a completion.
    var deferral: Deferral?

    /// Whether this is a ``later(ifStopped:_:)`` answer (the real one comes through its ``HTTPResponseCompletion``).
    public var isDeferred: Bool { deferral != nil }

    /// The answer of a responder asked, on a libmicrohttpd polling thread, for something that may
    /// block (``HTTPRequest/mayBlock`` false): the server then suspends the connection and calls
    /// the responder again on a worker thread, with a copy of the request whose `mayBlock` is true.
    public static let needsWorkerThread: HTTPResponse = {
        var response = HTTPResponse(status: 503)
        response.movesToWorkerThread = true
        return response
    }()

    /// An answer that comes later, from any thread: the server suspends the connection (holding
    /// neither a polling thread nor a worker thread), then calls `start` with the completion to
    /// call once the answer is known. Calls after the first are ignored. If the server stops
    /// before then, the connection is answered `ifStopped`, so stopping never waits for it.
    public static func later(
        ifStopped fallback: HTTPResponse, _ start: @escaping @Sendable (HTTPResponseCompletion) -> Void
    ) -> HTTPResponse {
        var response = HTTPResponse(status: 503)
        response.movesToWorkerThread = true
        response.deferral = Deferral(fallback: fallback, start: start)
        return response
    }

    /// A response with the given status, headers and body.
    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}
