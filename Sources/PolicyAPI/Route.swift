import MicroHTTP
import PolicyService

/// A handler and what the API needs to know about it before calling it.
struct Route: Sendable {
    /// How a route is answered; handlers throw `APIError` or `ServiceError`, `PolicyAPI.respond` maps both.
    enum Handler: Sendable {
        /// Answered on the polling thread that received the request (reads, decisions): at once or later.
        case inline(@Sendable (PolicyAPI, HTTPRequest, PathParameters) throws -> HTTPAnswer)
        /// Writes to disk or waits on writer locks: answered on a worker thread, so that reads
        /// and decisions never queue behind it on libmicrohttpd's polling threads.
        case blocking(@Sendable (PolicyAPI, HTTPRequest, PathParameters) throws -> HTTPResponse)
    }

    /// Answered with 503 not_ready until the store is loaded.
    var needsReady: Bool
    /// Who may call it when tokens are configured.
    var access: RouteAccess
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
            _ method: String, _ path: String, ready: Bool = true, access: RouteAccess? = nil, query: [String]? = [],
            _ handler: Route.Handler
        ) {
            let access = access ?? (method == "GET" ? .read : .admin)
            let routeMetrics = RouteMetrics(route: path, method: method, metrics: metrics)
            r.add(method, path, Route(needsReady: ready, access: access, query: query, metrics: routeMetrics, handler: handler))
        }
        // Probes and scrapers may add query strings of their own: the open endpoints ignore them.
        add("GET", "/healthz", ready: false, access: .open, query: nil, .inline { api, _, _ in .now(api.health()) })
        add("GET", "/readyz", ready: false, access: .open, query: nil, .inline { api, _, _ in .now(api.readiness()) })
        add("GET", "/metrics", ready: false, access: .open, query: nil, .inline { api, _, _ in .now(api.metricsText()) })
        add("GET", "/v1/networks", .inline { api, _, _ in .now(api.listNetworks()) })
        add("GET", "/v1/networks/{id}/runner", query: ["min_revision", "wait"], .inline { api, req, p in try api.runnerStatus(req, p) })
        add("GET", "/v1/cluster", .blocking { api, _, _ in try api.cluster() })
        add("PUT", "/v1/networks/{id}/policy", .blocking { api, req, p in try api.putPolicy(req, p) })
        add("GET", "/v1/networks/{id}/policy", .inline { api, _, p in .now(try api.getPolicy(p)) })
        add("DELETE", "/v1/networks/{id}/policy", .blocking { api, req, p in try api.deletePolicy(req, p) })
        add("POST", "/v1/networks/{id}/reload", .blocking { api, _, p in try api.reloadNetwork(p) })
        add("POST", "/v1/reload", query: ["force"], .blocking { api, req, _ in try api.reloadAll(req) })
        add("POST", "/v1/networks/{id}/decisions", access: .read, .inline { api, req, p in .now(try api.decide(req, p)) })
        add("PUT", "/v1/networks/{id}/members", .blocking { api, req, p in try api.putMembers(req, p) })
        add("GET", "/v1/networks/{id}/peers", .inline { api, _, p in .now(try api.peers(p)) })
        add("POST", "/v1/networks/{id}/cycle", .blocking { api, _, p in try api.cycle(p) })
        add("POST", "/v1/policies/validate", .blocking { api, req, _ in try api.validate(req) })
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
