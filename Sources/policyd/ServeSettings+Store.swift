import ArgumentParser
import EtcdClient
import Glibc

extension ServeSettings {
    /// `--etcd-endpoints`, `--etcd-prefix`, `--etcd-timeout`: with endpoints the policies
    /// live in etcd; without, in the data directory. `--replica-id` and `--lease-ttl` name
    /// this replica and size its lease among several.
    mutating func resolveStore(_ c: ServeCommand) throws {
        try resolveReplica(c)
        guard let urls = try EnvironmentDefault.optional(c.etcdEndpoints, "POLICYD_ETCD_ENDPOINTS") else { return }
        do {
            etcdEndpoints = try EtcdEndpoint.list(urls)
        } catch {
            throw ValidationError("--etcd-endpoints: \(error)")
        }
        etcdPrefix = try EnvironmentDefault.value(c.etcdPrefix, "POLICYD_ETCD_PREFIX", default: "/policyd/")
        guard !etcdPrefix.isEmpty else { throw ValidationError("--etcd-prefix must not be empty") }
        let timeout = try EnvironmentDefault.value(c.etcdTimeout, "POLICYD_ETCD_TIMEOUT", default: 3.0)
        guard timeout >= 0.1, timeout <= 60 else { throw ValidationError("--etcd-timeout must be 0.1...60 seconds") }
        etcdTimeout = .milliseconds(Int(timeout * 1000))
    }
}

extension ServeSettings {
    /// `--replica-id`, `--advertise-address`, `--lease-ttl`: how this replica names itself in
    /// `<prefix>replicas/` and `/v1/cluster`. An empty id or address means the default, known
    /// once the socket is bound: `host:port`, and `http(s)://host:port`.
    mutating func resolveReplica(_ c: ServeCommand) throws {
        replicaID = try EnvironmentDefault.value(c.replicaId, "POLICYD_REPLICA_ID", default: "")
        guard replicaID.utf8.count <= 128, !replicaID.contains("/"), replicaID.allSatisfy({ !$0.isWhitespace }) else {
            throw ValidationError("--replica-id must be at most 128 characters, without spaces or /")
        }
        advertiseAddress = try EnvironmentDefault.value(c.advertiseAddress, "POLICYD_ADVERTISE_ADDRESS", default: "")
        leaseTTL = try EnvironmentDefault.value(c.leaseTtl, "POLICYD_LEASE_TTL", default: 10)
        guard (2...300).contains(leaseTTL) else { throw ValidationError("--lease-ttl must be 2...300 seconds, got \(leaseTTL)") }
    }
}

extension ServeSettings {
    /// `host:port` as bound; on a wildcard address (`0.0.0.0`, `::`, as in containers) the
    /// machine's host name stands for the host, so replicas in containers get distinct ids.
    static func defaultReplicaID(host: String, port: Int) -> String {
        guard host == "0.0.0.0" || host == "::" || host.isEmpty else { return "\(host):\(port)" }
        var name = [CChar](repeating: 0, count: 256)
        guard gethostname(&name, name.count - 1) == 0 else { return "\(host):\(port)" }
        let hostname = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return hostname.isEmpty ? "\(host):\(port)" : "\(hostname):\(port)"
    }
}
