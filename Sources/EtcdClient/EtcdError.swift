/// Every way an etcd call can fail.
public enum EtcdError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No endpoint answered within the call's deadline (down, unreachable, no quorum).
    case unavailable(String)
    /// A write reached etcd (or may have) but no answer came back in time: it may or may not
    /// have been applied. Never sent again by the client; the caller decides (a transaction
    /// whose compares make it apply at most once can be).
    case indeterminate(String)
    /// The revision asked for was compacted away; the oldest one left is this.
    case compacted(Int64)
    /// etcd canceled a watch (the reason it gave).
    case canceled(String)
    /// etcd answered with an error (gRPC status and message).
    case rejected(String)
    /// An endpoint URL that does not parse.
    case invalidEndpoint(String)
    /// The client was closed.
    case closed

    public var description: String {
        switch self {
        case .unavailable(let m): "etcd unavailable: \(m)"
        case .indeterminate(let m): "etcd did not answer whether it applied the write: \(m)"
        case .compacted(let r): "etcd history compacted (oldest revision \(r))"
        case .canceled(let m): "etcd canceled the watch: \(m)"
        case .rejected(let m): "etcd rejected the request: \(m)"
        case .invalidEndpoint(let m): "invalid etcd endpoint: \(m)"
        case .closed: "etcd client closed"
        }
    }
}
