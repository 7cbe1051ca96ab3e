import ArgumentParser
import EtcdClient

extension ServeSettings {
    /// `--etcd-endpoints`, `--etcd-prefix`, `--etcd-timeout`: with endpoints the policies
    /// live in etcd; without, in the data directory.
    mutating func resolveStore(_ c: ServeCommand) throws {
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
