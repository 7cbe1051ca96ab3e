import EtcdClient
import Locking
public import PolicyService

extension EtcdPolicyStore {
    /// `<prefix>replicas/`: one key per live replica, each attached to its lease.
    public var replicasPrefix: [UInt8] { Array((prefix + "replicas/").utf8) }

    /// Every registered replica (a linearizable read of `<prefix>replicas/`), by id.
    public func replicas() throws(StoreError) -> [ReplicaRecord]? {
        let client = client
        let prefix = replicasPrefix
        let range = try blocking(timeout: client.callTimeout) { () async throws(EtcdError) in try await client.rangePrefix(prefix) }
        return range.kvs.compactMap { ReplicaRecord(json: $0.value) }.sorted { $0.id < $1.id }
    }

    /// Reads every document now and takes etcd's content as the truth, whatever it is (an
    /// empty store, another cluster): ends the degraded state. The runners follow on the
    /// caller's `reloadAll`; the follower's watch goes on from its own cursor.
    public func resync() throws(StoreError) {
        let client = client
        let prefix = policiesPrefix
        let range = try blocking(timeout: client.callTimeout) { () async throws(EtcdError) in try await client.rangePrefix(prefix) }
        var documents: [Int: EtcdKeyValue] = [:]
        for kv in range.kvs {
            if let id = networkID(ofKey: kv.key) { documents[id] = kv }
        }
        let reset = mirror.withLock { m in
            let reset = m.isOtherStore(range.header) || m.degraded != nil
            _ = m.replace(with: documents, header: range.header, reset: reset)
            m.degraded = nil
            m.resyncs += 1
            return reset
        }
        markApplied(range.header.revision, reset: reset)
    }
}
