import PolicyService

/// Per network, what every live replica runs: the agreement `/v1/cluster` reports.
struct ClusterView {
    struct Network {
        var networkID: Int
        /// replica id -> ETag, for the replicas that run it, by id.
        var etags: [(String, String)]
        /// Replicas that run no runner for it.
        var missing: [String]
        /// Every replica runs it, all with one ETag.
        var agree: Bool { missing.isEmpty && Set(etags.map(\.1)).count == 1 }
    }

    var networks: [Network]
    /// Every network agrees (and no replica is degraded).
    var converged: Bool

    init(_ replicas: [ReplicaRecord]) {
        let ids = Set(replicas.flatMap(\.networks.keys)).sorted()
        networks = ids.map { id in
            Network(
                networkID: id,
                etags: replicas.compactMap { r in r.networks[id].map { (r.id, $0) } },
                missing: replicas.filter { $0.networks[id] == nil }.map(\.id))
        }
        converged = networks.allSatisfy(\.agree) && !replicas.contains(where: \.degraded)
    }
}
