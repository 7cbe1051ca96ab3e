/// Why the server answers a request without asking the responder to handle it.
public enum HTTPRejection: Sendable, Equatable {
    /// The body is (or grew) larger than ``HTTPServerConfiguration/maxBodyBytes``.
    case payloadTooLarge(limit: Int)
}

/// What the server calls to answer requests; called concurrently from libmicrohttpd's threads.
public protocol HTTPResponder: Sendable {
    /// Answers one request, on the libmicrohttpd polling thread that received it: at once, or
    /// with work for a worker thread when answering may block (see ``HTTPAnswer``). Called once
    /// per request. `request` is only valid during this call: do not keep it.
    func respond(to request: HTTPRequest) -> HTTPAnswer
    /// Builds the response for a request the server refused before reading it fully.
    func reject(_ rejection: HTTPRejection, method: String, path: String) -> HTTPResponse
}
