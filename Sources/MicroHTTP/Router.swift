/// Maps a method and a path to a handler. Pure Swift; built once, then shared read-only across threads.
public struct Router<Handler: Sendable>: Sendable {
    @usableFromInline var table = RouteTable()
    /// `handlers[route][slot]`, parallel to the table's patterns and their methods.
    @usableFromInline var handlers: [[Handler]] = []

    /// An empty router: every path is ``RouteMatch/notFound``.
    public init() {}

    /// Registers `handler` for `method` on `pattern` (e.g. "/v1/networks/{id}/runner"); a repeat replaces the handler.
    public mutating func add(_ method: String, _ pattern: String, _ handler: Handler) {
        let (route, removed) = table.add(method: method, pattern: pattern)
        if route == handlers.count { handlers.append([]) }
        if let removed { handlers[route].remove(at: removed) }
        handlers[route].append(handler)
    }

    /// The handler for `method` on `path`, or why there is none.
    ///
    /// When several patterns match, the most specific one that has the method wins. A path that
    /// matches some pattern but under no registered method gives ``RouteMatch/methodNotAllowed(allowed:)``
    /// listing the methods of every matching pattern.
    @inlinable
    public func match(method: String, path: String) -> RouteMatch<Handler> {
        // Inlinable so that the caller's specialization builds the result: the matching itself is not generic.
        switch table.match(method: method, path: path) {
        case .found(let route, let slot, let parameters): .found(handlers[route][slot], parameters: parameters)
        case .methodNotAllowed(let allowed): .methodNotAllowed(allowed: allowed)
        case .notFound: .notFound
        }
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
