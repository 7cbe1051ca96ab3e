extension PeerTable {
    /// Takes `committed`'s content as the shared store's table at `revision`, unless this
    /// table already has that revision or a newer one (a late watch event never undoes a
    /// newer commit). `last_seen` keeps the later of the two: decisions refresh it locally
    /// and never write to the store. True when the table changed.
    @discardableResult
    func adopt(_ committed: PeerTable, revision: Int64) -> Bool {
        let incoming = committed.withState { $0 }
        return withState { s in
            guard revision > s.storeRevision else { return false }
            var peers = incoming.peers
            for (id, local) in s.peers {
                if let index = peers.index(forKey: id), peers.values[index].lastSeen < local.lastSeen {
                    peers.values[index].lastSeen = local.lastSeen
                }
            }
            s.peers = peers
            s.cooldowns = incoming.cooldowns
            s.cycleNum = incoming.cycleNum
            s.storeRevision = revision
            s.version += 1
            return true
        }
    }
}
