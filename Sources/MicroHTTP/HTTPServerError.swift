/// Why an ``HTTPServer`` could not start.
public enum HTTPServerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The host is not an IPv4 or IPv6 literal (nor "localhost").
    case invalidHost(String)
    /// A configuration value is out of range; the string names it.
    case invalidConfiguration(String)
    /// libmicrohttpd refused to start (most often: the address is in use); `reason` is its message.
    case startFailed(host: String, port: Int, reason: String)
    /// `start()` was called on a server that was already started (servers are not restartable).
    case alreadyStarted

    /// A one-line explanation, e.g. "cannot listen on 127.0.0.1:8080: Failed to bind to port 8080: Address already in use".
    public var description: String {
        switch self {
        case .invalidHost(let host):
            "invalid listen host \"\(host)\": expected an IPv4 or IPv6 address literal"
        case .invalidConfiguration(let what):
            "invalid HTTP server configuration: \(what)"
        case .startFailed(let host, let port, let reason):
            "cannot listen on \(HTTPServerError.display(host: host, port: port)): \(reason)"
        case .alreadyStarted:
            "the HTTP server was already started"
        }
    }

    static func display(host: String, port: Int) -> String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
