import EtcdClient

/// What this process knows of the documents in etcd: per network the last document seen
/// (or its deletion) with its revision. Every entry only moves forward in revisions, so a
/// late watch event never undoes a newer local write; only a reset (another cluster, or
/// a revision going backwards) replaces everything.
struct StoreMirror {
    struct Entry: Equatable {
        /// nil: deleted at `revision`.
        var bytes: [UInt8]?
        var revision: Int64
    }

    var entries: [Int: Entry] = [:]
    /// The peer tables (`<prefix>peers/<id>`), kept the same way (StoreMirror+Peers.swift).
    var peers: [Int: Entry] = [:]
    /// The cluster the entries came from (0 before the first read).
    var clusterID: UInt64 = 0
    /// Every event up to this revision is applied.
    var appliedRevision: Int64 = 0
    var connected = false
    var watchRestarts = 0
    var resyncs = 0
    var rejectedDocuments = 0
    /// Set by the wiped-store guard (see `EtcdStoreFollower+Guard.swift`): why etcd's content is not applied.
    var degraded: String?
    /// The revision of the last change to a document this process applied.
    var lastChangeRevision: Int64 = 0

    /// Records a change if it is newer than what is known; true when it was.
    mutating func advance(_ networkID: Int, bytes: [UInt8]?, revision: Int64) -> Bool {
        if let known = entries[networkID], known.revision >= revision { return false }
        entries[networkID] = Entry(bytes: bytes, revision: revision)
        lastChangeRevision = max(lastChangeRevision, revision)
        return true
    }

    /// A revision etcd is known to have reached: every event up to `appliedRevision` is applied,
    /// and this process's own writes were committed at their revisions (which the watch may
    /// not have brought yet). An etcd answering with an older revision went back in time.
    var knownRevision: Int64 { max(appliedRevision, lastChangeRevision) }

    /// Whether an answer with `header` comes from another store than the one the entries came
    /// from: another cluster, or one that went back in time (wiped, restored from a backup).
    func isOtherStore(_ header: EtcdHeader) -> Bool {
        header.clusterID != clusterID || header.revision < knownRevision
    }

    /// Whether any network has a document.
    var holdsDocuments: Bool { entries.values.contains { $0.bytes != nil } }

    /// A full read of the prefix at `header`: every key in `documents`, and every known
    /// network missing from it deleted as of the read. With `reset`, older knowledge is
    /// dropped (revisions of another cluster mean nothing). The networks whose entry changed.
    /// With `keepMissing` (a degraded replica), networks missing from the read are kept.
    mutating func replace(with documents: [Int: EtcdKeyValue], header: EtcdHeader, reset: Bool, keepMissing: Bool = false) -> [Int] {
        if reset {
            entries = entries.mapValues { Entry(bytes: $0.bytes, revision: 0) }
            lastChangeRevision = 0
        }
        var changed: [Int] = []
        for (id, kv) in documents where advance(id, bytes: kv.value, revision: kv.modRevision) {
            changed.append(id)
        }
        for (id, entry) in entries where !keepMissing && documents[id] == nil && entry.bytes != nil && entry.revision <= header.revision {
            entries[id] = Entry(bytes: nil, revision: header.revision)
            lastChangeRevision = max(lastChangeRevision, header.revision)
            changed.append(id)
        }
        clusterID = header.clusterID
        appliedRevision = header.revision
        return changed.sorted()
    }
}
