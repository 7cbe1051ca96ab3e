import Locking
import MicroHTTP
import PolicyLanguage
public import PolicyService

extension PolicyAPI {
    /// Names this replica in `/v1/cluster` and its registration: its id and the URL it answers on.
    public func identify(replicaID: String, address: String) {
        identity.withLock { $0 = (replicaID, address) }
    }

    /// This replica as it registers itself: id, address, version, the revision of the last
    /// policy change applied, ready, degraded, and the ETag of every network it runs.
    public func localReplica() -> ReplicaRecord {
        let (id, address) = identity.withLock { $0 }
        let store = service.store.status
        let networks = service.etags()
        return ReplicaRecord(
            id: id, address: address, version: Self.version, appliedRevision: store?.lastChangeRevision ?? 0,
            ready: currentPhase == .ready, degraded: store?.degraded != nil, networks: networks)
    }

    /// `GET /v1/cluster`: the live replicas (registered in etcd; without etcd, this one alone)
    /// and, per network, whether every replica runs the same ETag.
    func cluster() throws -> HTTPResponse {
        let me = localReplica()
        let replicas: [ReplicaRecord]
        do throws(StoreError) {
            replicas = try service.store.replicas() ?? [me]
        } catch {
            throw ServiceError.storage(error)
        }
        let view = ClusterView(replicas)
        var w = JSONWriter(capacity: 256 + replicas.count * 256 + view.networks.count * 128)
        w.beginObject()
        w.key("replica_id"); w.string(me.id)
        w.key("converged"); w.bool(view.converged)
        w.key("replicas")
        w.beginArray()
        for r in replicas { w.replica(r) }
        w.endArray()
        w.key("networks")
        w.beginArray()
        for n in view.networks {
            w.beginObject()
            w.key("network_id"); w.int(n.networkID)
            w.key("agree"); w.bool(n.agree)
            w.key("etags")
            w.beginObject()
            for (replica, etag) in n.etags { w.key(replica); w.string(etag) }
            w.endObject()
            w.key("missing"); w.strings(n.missing)
            w.endObject()
        }
        w.endArray()
        w.endObject()
        return .json(200, w)
    }
}

extension JSONWriter {
    mutating func replica(_ r: ReplicaRecord) {
        beginObject()
        key("id"); string(r.id)
        key("address"); string(r.address)
        key("version"); string(r.version)
        key("applied_revision"); int(Int(r.appliedRevision))
        key("ready"); bool(r.ready)
        key("degraded"); bool(r.degraded)
        key("networks"); int(r.networks.count)
        endObject()
    }
}
