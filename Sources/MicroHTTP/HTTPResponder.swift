/// Why the server answers a request without asking the responder to handle it.
public enum HTTPRejection: Sendable, Equatable {
    /// The body is (or grew) larger than ``HTTPServerConfiguration/maxBodyBytes``.
    case payloadTooLarge(limit: Int)
}

/// What the server calls to answer requests; called concurrently from libmicrohttpd's threads.
public protocol HTTPResponder: Sendable {
    /// Answers one request. `request` is only valid during this call: do not keep it.
    func respond(to request: HTTPRequest) -> HTTPResponse
    /// Builds the response for a request the server refused before reading it fully.
    func reject(_ rejection: HTTPRejection, method: String, path: String) -> HTTPResponse
    /// Whether answering `method` on `path` may block; see the default implementation.
    func mayBlock(method: String, path: String) -> Bool
}

extension HTTPResponder {
    /// Whether answering `method` on `path` may block (disk writes, long locks). The server then
    /// calls ``respond(to:)`` on a worker thread with the connection suspended, so that the other
    /// connections of the libmicrohttpd thread that received it are not held up. Called on the
    /// connection's thread for every request: keep it cheap. By default nothing blocks.
    public func mayBlock(method: String, path: String) -> Bool { false }
}
