/// Why the server answers a request without asking the responder to handle it.
public enum HTTPRejection: Sendable, Equatable {
    /// The body is (or grew) larger than ``HTTPServerConfiguration/maxBodyBytes``.
    case payloadTooLarge(limit: Int)
}

/// What the server calls to answer requests; called concurrently from libmicrohttpd's threads.
public protocol HTTPResponder: Sendable {
    /// Answers one request. `request` is only valid during this call: do not keep it. Work that
    /// may block answers ``HTTPResponse/needsWorkerThread`` while `request.mayBlock` is false.
    func respond(to request: HTTPRequest) -> HTTPResponse
    /// Builds the response for a request the server refused before reading it fully.
    func reject(_ rejection: HTTPRejection, method: String, path: String) -> HTTPResponse
}
