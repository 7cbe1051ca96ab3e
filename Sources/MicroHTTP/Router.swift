/// Maps a method and a path to a handler. Pure Swift; built once, then shared read-only across threads.
public struct Router<Handler: Sendable>: Sendable {
    private struct Route: Sendable {
        let pattern: PathPattern
        var handlers: [(method: String, handler: Handler)]

        /// The handler for `method`; HEAD falls back to GET when no HEAD is registered.
        func handler(for method: String) -> Handler? {
            if let exact = handlers.first(where: { $0.method == method }) { return exact.handler }
            if method == "HEAD" { return handlers.first { $0.method == "GET" }?.handler }
            return nil
        }

        /// The registered methods, with HEAD after GET when only GET is registered.
        var allowed: [String] {
            var methods: [String] = []
            for (method, _) in handlers {
                methods.append(method)
                if method == "GET" && !handlers.contains(where: { $0.method == "HEAD" }) { methods.append("HEAD") }
            }
            return methods
        }
    }

    private var routes: [Route] = []

    /// An empty router: every path is ``RouteMatch/notFound``.
    public init() {}

    /// Registers `handler` for `method` on `pattern` (e.g. "/v1/networks/{id}/runner"); a repeat replaces the handler.
    public mutating func add(_ method: String, _ pattern: String, _ handler: Handler) {
        let parsed = PathPattern(pattern)
        if let index = routes.firstIndex(where: { $0.pattern.segments == parsed.segments }) {
            routes[index].handlers.removeAll { $0.method == method }
            routes[index].handlers.append((method, handler))
        } else {
            routes.append(Route(pattern: parsed, handlers: [(method, handler)]))
        }
    }

    /// The handler for `method` on `path`, or why there is none.
    ///
    /// When several patterns match, the most specific one that has the method wins. A path that
    /// matches some pattern but under no registered method gives ``RouteMatch/methodNotAllowed(allowed:)``
    /// listing the methods of every matching pattern.
    public func match(method: String, path: String) -> RouteMatch<Handler> {
        var best: (route: Route, handler: Handler, captured: [(name: String, value: Substring)])?
        var allowed: [String] = []
        var pathMatched = false
        for route in routes {
            guard let captured = route.pattern.match(path) else { continue }
            pathMatched = true
            guard let handler = route.handler(for: method) else {
                for candidate in route.allowed where !allowed.contains(candidate) { allowed.append(candidate) }
                continue
            }
            if let current = best, !route.pattern.isMoreSpecific(than: current.route.pattern) { continue }
            best = (route, handler, captured)
        }
        if let best { return .found(best.handler, parameters: PathParameters(captured: best.captured)) }
        return pathMatched ? .methodNotAllowed(allowed: allowed) : .notFound
    }
}

/// The outcome of ``Router/match(method:path:)``.
public enum RouteMatch<Handler> {
    /// A handler, with the values of the pattern's `{name}` segments.
    case found(Handler, parameters: PathParameters)
    /// The path exists but not for this method; `allowed` is the value for an `Allow` header.
    case methodNotAllowed(allowed: [String])
    /// No pattern matches the path.
    case notFound
}

extension RouteMatch: Sendable where Handler: Sendable {}
