import ArgumentParser
import EtcdClient

extension ServeSettings {
    /// `--etcd-endpoints`, `--etcd-prefix`, `--etcd-timeout`: with endpoints the policies
    /// live in etcd; without, in the data directory. `--replica-id` and `--lease-ttl` name
    /// this replica and size its lease among several.
    mutating func resolveStore(_ c: ServeCommand) throws {
        replicaID = try EnvironmentDefault.value(c.replicaId, "POLICYD_REPLICA_ID", default: "")
        leaseTTL = try EnvironmentDefault.value(c.leaseTtl, "POLICYD_LEASE_TTL", default: 10)
        guard (2...300).contains(leaseTTL) else { throw ValidationError("--lease-ttl must be 2...300 seconds, got \(leaseTTL)") }
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
