/// What a responder gives back for one request: decided once, on the polling thread that
/// received it, so the server never asks twice.
public enum HTTPAnswer: Sendable {
    /// Send this response now.
    case now(HTTPResponse)
    /// Work that may block (disk writes, writer locks): the server suspends the connection, so
    /// the polling thread goes on serving its other connections, runs `work` once on a worker
    /// thread with a copy of the request (headers, query, address and body copied out, since the
    /// original is valid only during `respond`), and sends what it returns.
    case onWorkerThread(@Sendable (HTTPRequest) -> HTTPResponse)
    /// Answered later from any thread; made by ``later(ifStopped:_:)``.
    case deferred(HTTPDeferral)

    /// An answer that comes later, from any thread: the server suspends the connection (holding
    /// neither a polling thread nor a worker thread), then calls `start` with the completion to
    /// call once the answer is known. Calls after the first are ignored. If the server stops
    /// before then, the connection is answered `ifStopped`, so stopping never waits for it.
    public static func later(
        ifStopped fallback: HTTPResponse, _ start: @escaping @Sendable (HTTPResponseCompletion) -> Void
    ) -> HTTPAnswer {
        .deferred(HTTPDeferral(fallback: fallback, start: start))
    }
}

/// What ``HTTPAnswer/later(ifStopped:_:)`` carries to the server.
public final class HTTPDeferral: Sendable {
    /// The answer if the server stops before the completion is called.
    public let fallback: HTTPResponse
    let start: @Sendable (HTTPResponseCompletion) -> Void

    init(fallback: HTTPResponse, start: @escaping @Sendable (HTTPResponseCompletion) -> Void) {
        self.fallback = fallback
        self.start = start
    }
}

extension HTTPResponder {
    /// Answers `request` on the calling thread, for callers without a server (tests, benchmarks):
    /// worker-thread work runs here; a deferred answer is not waited for (its `ifStopped` response).
    public func respondInline(to request: HTTPRequest) -> HTTPResponse {
        switch respond(to: request) {
        case .now(let response): response
        case .onWorkerThread(let work): work(request)
        case .deferred(let deferral): deferral.fallback
        }
    }
}
