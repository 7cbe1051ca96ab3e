import Foundation
import HTTPTestClient
import Logging
import MicroHTTP
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#endif

// MARK: - Responders

/// A responder made of closures; `reject` answers 413 with a recognisable body. Requests for
/// `workerPaths` are answered by the same closure on a worker thread.
struct ClosureResponder: HTTPResponder {
    var workerPaths: Set<String> = []
    let handler: @Sendable (HTTPRequest) -> HTTPResponse

    init(workerPaths: Set<String> = [], _ handler: @escaping @Sendable (HTTPRequest) -> HTTPResponse) {
        self.workerPaths = workerPaths
        self.handler = handler
    }

    func respond(to request: HTTPRequest) -> HTTPAnswer {
        workerPaths.contains(request.path) ? .onWorkerThread(handler) : .now(handler(request))
    }

    func reject(_ rejection: HTTPRejection, method: String, path: String) -> HTTPResponse {
        switch rejection {
        case .payloadTooLarge(let limit):
            HTTPResponse(status: 413, body: Array("too large for \(limit): \(method) \(path)".utf8))
        }
    }
}

/// Routes with a `Router`, the way the API layer will: 404 and 405 (with `Allow`) come from the match.
struct RoutingResponder: HTTPResponder {
    typealias Handler = @Sendable (HTTPRequest, PathParameters) -> HTTPResponse
    let router: Router<Handler>

    func respond(to request: HTTPRequest) -> HTTPAnswer {
        switch router.match(method: request.method, path: request.path) {
        case .found(let handler, let parameters):
            .now(handler(request, parameters))
        case .methodNotAllowed(let allowed):
            .now(HTTPResponse(status: 405, headers: [("Allow", allowed.joined(separator: ", "))]))
        case .notFound:
            .now(HTTPResponse(status: 404))
        }
    }

    func reject(_ rejection: HTTPRejection, method: String, path: String) -> HTTPResponse {
        HTTPResponse(status: 413)
    }
}

func text(_ status: Int, _ body: String, contentType: String? = "text/plain") -> HTTPResponse {
    HTTPResponse(status: status, headers: contentType.map { [("Content-Type", $0)] } ?? [], body: Array(body.utf8))
}

let quietLogger = Logger(label: "MicroHTTPTests") { _ in SwiftLogNoOpLogHandler() }

/// Starts a server on 127.0.0.1, port 0, runs `body`, and stops the server.
@discardableResult
func withServer<R>(
    _ configure: (inout HTTPServerConfiguration) -> Void = { _ in },
    responder: some HTTPResponder,
    _ body: (HTTPServer) throws -> R
) throws -> R {
    var configuration = HTTPServerConfiguration()
    configuration.port = 0
    configuration.threads = 2
    configure(&configuration)
    let server = HTTPServer(configuration: configuration, responder: responder, logger: quietLogger)
    try server.start()
    defer { server.stop(drainTimeout: .seconds(2)) }
    return try body(server)
}
