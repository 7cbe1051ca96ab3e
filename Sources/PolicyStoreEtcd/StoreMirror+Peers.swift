import EtcdClient

/// The peer tables half of the mirror: per network the last table seen in etcd (or its
/// deletion) with its revision, moving only forward, like the documents.
extension StoreMirror {
    /// Records a table change if it is newer than what is known; true when it was.
    mutating func advancePeers(_ networkID: Int, bytes: [UInt8]?, revision: Int64) -> Bool {
        if let known = peers[networkID], known.revision >= revision { return false }
        peers[networkID] = Entry(bytes: bytes, revision: revision)
        return true
    }

    /// A full read of `<prefix>peers/` at `header`'s revision: every table in `tables`, every
    /// known one missing from it deleted as of the read. The networks whose table changed.
    mutating func replacePeers(with tables: [Int: EtcdKeyValue], header: EtcdHeader, reset: Bool) -> [Int] {
        if reset { peers = peers.mapValues { Entry(bytes: $0.bytes, revision: 0) } }
        var changed: [Int] = []
        for (id, kv) in tables where advancePeers(id, bytes: kv.value, revision: kv.modRevision) {
            changed.append(id)
        }
        for (id, entry) in peers where tables[id] == nil && entry.bytes != nil && entry.revision <= header.revision {
            peers[id] = Entry(bytes: nil, revision: header.revision)
            changed.append(id)
        }
        return changed.sorted()
    }
}
