import Locking
public import Logging
public import MicroHTTP
import PolicyLanguage
public import PolicyService
import Synchronization

/// The REST API (openapi.yaml) over a `PolicyService`: routes requests, maps every error
/// to HTTP in one place, counts each request and logs writes, errors and (opt-in) every request.
public final class PolicyAPI: HTTPResponder {
    public static let version = "0.1.0"

    public let service: PolicyService
    public let metrics: APIMetrics
    let logger: Logger
    /// Logs a `request` line for every request; otherwise only for writes and answers >= 400.
    let accessLog: Bool
    let router: Router<Route>
    /// The bearer tokens; nil serves `/v1` without authentication.
    let tokens: AccessTokens?
    /// Request bodies' parser, nested no deeper than the service's JSON limit.
    let jsonParser: JSONParser
    private let phase = Atomic<UInt8>(Phase.starting.rawValue)
    /// This replica's id and address (`identify`), for `/v1/cluster` and its registration.
    let identity = Locked<(id: String, address: String)>(("", ""))
    /// The encoded fixed parts of each network's runner status (this layer's cache, not the runner's).
    let statusParts = StatusPartsCache()

    enum Phase: UInt8 {
        case starting, ready, draining
    }

    /// - Parameter tokens: with tokens, every `/v1` request needs `Authorization: Bearer` (roles apply);
    ///   without, the API is open to anyone who can reach it.
    /// - Parameter accessLog: a `request` line (info) for every request, reads and decisions included;
    ///   without it only writes, reloads and answers with status >= 400 get one.
    public init(
        service: PolicyService, metrics: APIMetrics = APIMetrics(), tokens: AccessTokens? = nil, accessLog: Bool = false,
        logger: Logger
    ) {
        self.service = service
        self.metrics = metrics
        self.logger = logger
        self.accessLog = accessLog
        self.tokens = tokens
        self.jsonParser = JSONParser(maxDepth: service.limits.maxJSONDepth)
        self.router = Self.routes(metrics: metrics)
    }

    /// `/readyz` answers 200 from now on (the store is loaded, runners started).
    public func markReady() { phase.store(Phase.ready.rawValue, ordering: .releasing) }

    /// `/readyz` answers 503 draining from now on (shutdown began).
    public func markDraining() { phase.store(Phase.draining.rawValue, ordering: .releasing) }

    var currentPhase: Phase { Phase(rawValue: phase.load(ordering: .acquiring)) ?? .starting }

    public func respond(to request: HTTPRequest) -> HTTPAnswer {
        let began = ContinuousClock.now
        var matched: RouteMetrics?
        var response: HTTPResponse
        do {
            // Authentication comes first, so that unknown /v1 paths tell an anonymous caller nothing.
            var role: Role?
            if Self.isProtected(request.path) { role = try authenticate(request) }
            switch router.match(method: request.method, path: request.path) {
            case .found(let route, let parameters):
                matched = route.metrics
                try Self.authorize(role, for: route.access)
                if route.needsReady, currentPhase == .starting {
                    throw APIError.notReady("the server is still loading stored policies")
                }
                if let allowed = route.query { try QueryParameters.check(request, allowed: allowed) }
                switch route.handler {
                case .inline(let handler):
                    switch try handler(self, request, parameters) {
                    case .now(let answer): response = answer
                    // Worker work comes only from blocking routes; answered later (min_revision): counted and logged when it is.
                    case let other: return other
                    }
                case .blocking(let handler):
                    // Writes, reloads, cycles and validation: the rest of the request runs once, on a worker thread.
                    return .onWorkerThread { [self] request in
                        let response: HTTPResponse
                        do {
                            response = try handler(self, request, parameters)
                        } catch {
                            response = Self.errorResponse(error, logger: logger)
                        }
                        finish(request, route: route.metrics, isWrite: true, status: response.status, duration: .now - began)
                        return response
                    }
                }
            case .methodNotAllowed(let allowed):
                throw APIError.methodNotAllowed(request.method, allowed: allowed)
            case .notFound:
                throw APIError.notFound("no such path: \(request.path)")
            }
        } catch {
            response = Self.errorResponse(error, logger: logger)
        }
        finish(request, route: matched, isWrite: false, status: response.status, duration: .now - began)
        return .now(response)
    }

    public func reject(_ rejection: HTTPRejection, method: String, path: String) -> HTTPResponse {
        let error: APIError
        switch rejection {
        case .payloadTooLarge(let limit): error = .payloadTooLarge(limit: limit)
        @unknown default: error = .badRequest("request rejected")
        }
        logger.info("request rejected", metadata: ["method": "\(method)", "path": "\(path)", "status": "\(error.status)"])
        metrics.request(route: "rejected", method: method, status: error.status, duration: .zero)
        return error.response
    }

    /// Counts and logs a request answered later (its `HTTPRequest` is gone by then).
    func finish(method: String, path: String, route: String, status: Int, duration: Duration) {
        metrics.request(route: route, method: method, status: status, duration: duration)
        if accessLog || status >= 400 { logRequest(method: method, path: path, status: status, duration: duration) }
    }

    /// The access line of one request (at info).
    private func logRequest(method: String, path: String, status: Int, duration: Duration) {
        guard logger.logLevel <= .info else { return }
        let (s, atto) = duration.components
        logger.info(
            "request",
            metadata: [
                "method": "\(method)", "path": "\(path)", "status": "\(status)",
                "duration_us": "\(s * 1_000_000 + atto / 1_000_000_000_000)",
            ])
    }

    private func finish(_ request: HTTPRequest, route: RouteMetrics?, isWrite: Bool, status: Int, duration: Duration) {
        if let route, route.method == request.method {
            route.request(status: status, duration: duration)
        } else {
            // Unmatched paths, and HEAD answered by a GET route, are counted the general way.
            metrics.request(route: route?.route ?? "unmatched", method: request.method, status: status, duration: duration)
        }
        // Reads and decisions that succeed are the request rate itself: logged only with the access log.
        if accessLog || isWrite || status >= 400 {
            logRequest(method: request.method, path: request.path, status: status, duration: duration)
        }
    }
}
