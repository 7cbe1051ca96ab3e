/// One replica as it registers itself in a shared store (`<prefix>replicas/<id>`), and as
/// `GET /v1/cluster` shows it.
public struct ReplicaRecord: Sendable, Equatable {
    public var id: String
    /// Where it answers, e.g. `http://10.0.0.11:8080`.
    public var address: String
    public var version: String
    /// The revision of the last policy change it applied.
    public var appliedRevision: Int64
    public var ready: Bool
    public var degraded: Bool
    /// The ETag of each network it runs, by network id.
    public var networks: [Int: String]

    public init(
        id: String, address: String, version: String, appliedRevision: Int64, ready: Bool, degraded: Bool, networks: [Int: String]
    ) {
        self.id = id
        self.address = address
        self.version = version
        self.appliedRevision = appliedRevision
        self.ready = ready
        self.degraded = degraded
        self.networks = networks
    }
}
