import EtcdClient
import Logging

// The wiped-store guard. Deletions that arrive as watch events are applied as they come;
// only a full read (after compaction, a reconnect, a revision going back) that finds no
// policy at all, or another cluster, while this replica serves policies, is refused: the
// runners keep serving (stopping them all is the outage this service exists to prevent),
// the replica says it is degraded, and `POST /v1/reload?force=true` applies what etcd holds.

extension StoreMirror {
    /// Refuses a full read that would wipe what this replica serves: the reason and the
    /// networks the read still changed (documents it has are taken), or nil to apply it. A
    /// refused read moves the cursor (to its cluster and revision), and from then on changes
    /// that arrive are applied; networks it lacks are kept.
    mutating func refuseWipedStore(_ documents: [Int: EtcdKeyValue], header: EtcdHeader) -> (reason: String, changed: [Int])? {
        guard holdsDocuments else { return nil }
        let reason: String
        if clusterID != 0, header.clusterID != clusterID {
            reason = "etcd is another cluster (id \(header.clusterID), was \(clusterID))"
        } else if documents.isEmpty {
            reason = "etcd holds no policy at revision \(header.revision)"
        } else {
            return nil
        }
        if isOtherStore(header) {
            // Revisions of the other store say nothing about ours: anything arriving from it is newer.
            entries = entries.mapValues { Entry(bytes: $0.bytes, revision: 0) }
            lastChangeRevision = 0
        }
        // What the new store has beyond ours is taken; nothing is removed.
        let changed = documents.filter { advance($0.key, bytes: $0.value.value, revision: $0.value.modRevision) }.keys.sorted()
        degraded = reason
        clusterID = header.clusterID
        appliedRevision = header.revision
        return (reason, changed)
    }
}

extension EtcdStoreFollower {
    func logWipedStore(_ reason: String, header: EtcdHeader) {
        logger.error(
            "DEGRADED: etcd came back wiped; runners keep serving what they have, nothing is stopped. Check etcd, then POST /v1/reload?force=true to apply what it holds",
            metadata: ["reason": "\(reason)", "cluster": "\(header.clusterID)", "revision": "\(header.revision)"])
    }
}
