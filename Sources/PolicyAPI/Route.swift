import MicroHTTP
import PolicyService

/// A handler and what the API needs to know about it before calling it.
struct Route: Sendable {
    /// Handlers throw `APIError` or `ServiceError`; `PolicyAPI.respond` maps both.
    typealias Handler = @Sendable (PolicyAPI, HTTPRequest, PathParameters) throws -> HTTPResponse

    /// Answered with 503 not_ready until the store is loaded.
    var needsReady: Bool
    /// Who may call it when tokens are configured.
    var access: RouteAccess
    /// Writes to disk or waits on writer locks: answered off libmicrohttpd's polling threads.
    var mayBlock: Bool = false
    /// The query parameters it takes (others are 400); nil takes any and ignores them.
    var query: [String]? = []
    /// This route's request metrics, made at registration.
    var metrics: RouteMetrics
    var handler: Handler
}

extension PolicyAPI {
    /// Every endpoint of openapi.yaml.
    static func routes(metrics: APIMetrics) -> Router<Route> {
        var r = Router<Route>()
        // Readers may GET and ask for decisions; everything else under /v1 needs an admin.
        func add(
            _ method: String, _ path: String, ready: Bool = true, blocks: Bool = false, access: RouteAccess? = nil,
            query: [String]? = [], _ handler: @escaping Route.Handler
        ) {
            let access = access ?? (method == "GET" ? .read : .admin)
            let routeMetrics = RouteMetrics(route: path, method: method, metrics: metrics)
            r.add(
                method, path,
                Route(
                    needsReady: ready, access: access, mayBlock: blocks, query: query, metrics: routeMetrics, handler: handler))
        }
        // Probes and scrapers may add query strings of their own: the open endpoints ignore them.
        add("GET", "/healthz", ready: false, access: .open, query: nil) { api, _, _ in api.health() }
        add("GET", "/readyz", ready: false, access: .open, query: nil) { api, _, _ in api.readiness() }
        add("GET", "/metrics", ready: false, access: .open, query: nil) { api, _, _ in api.metricsText() }
        add("GET", "/v1/networks") { api, _, _ in api.listNetworks() }
        add("GET", "/v1/networks/{id}/runner", query: ["min_revision", "wait"]) { api, req, p in try api.runnerStatus(req, p) }
        add("GET", "/v1/cluster", blocks: true) { api, _, _ in try api.cluster() }
        add("PUT", "/v1/networks/{id}/policy", blocks: true) { api, req, p in try api.putPolicy(req, p) }
        add("GET", "/v1/networks/{id}/policy") { api, _, p in try api.getPolicy(p) }
        add("DELETE", "/v1/networks/{id}/policy", blocks: true) { api, req, p in try api.deletePolicy(req, p) }
        add("POST", "/v1/networks/{id}/reload", blocks: true) { api, _, p in try api.reloadNetwork(p) }
        add("POST", "/v1/reload", blocks: true, query: ["force"]) { api, req, _ in try api.reloadAll(req) }
        add("POST", "/v1/networks/{id}/decisions", access: .read) { api, req, p in try api.decide(req, p) }
        add("PUT", "/v1/networks/{id}/members", blocks: true) { api, req, p in try api.putMembers(req, p) }
        add("GET", "/v1/networks/{id}/peers") { api, _, p in try api.peers(p) }
        add("POST", "/v1/networks/{id}/cycle", blocks: true) { api, _, p in try api.cycle(p) }
        add("POST", "/v1/policies/validate", blocks: true) { api, req, _ in try api.validate(req) }
        return r
    }

    /// The `{id}` path parameter: an integer 1...65535, else 400.
    static func networkID(_ p: PathParameters) throws(APIError) -> Int {
        let raw = p["id"] ?? ""
        guard raw.utf8.count <= 5, raw.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let id = Int(raw), NetworkID.isValid(id)
        else {
            throw .badRequest("network id must be an integer 1..65535, not \"\(raw.prefix(32))\"")
        }
        return id
    }
}
