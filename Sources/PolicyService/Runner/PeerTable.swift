import Locking

/// The peer state of one network. It belongs to the network, not to a runner: a swap
/// hands the same table to the new runner, so no membership change made during the
/// swap can be lost.
final class PeerTable: Sendable {
    struct State {
        var peers: [Int: PeerRecord] = [:]
        /// peer id -> unix seconds until which re-adding is blocked (a join rule denied it).
        var cooldowns: [Int: Double] = [:]
        /// Bumped on every change worth persisting.
        var version = 0
        /// Cycles run on the network cluster-wide (kept in the table only with a shared store).
        var cycleNum = 0
        /// The shared store's revision of the table this one was last set to (0: none, the file store).
        var storeRevision: Int64 = 0
    }

    let state: Locked<State>

    init(peers: [PeerRecord] = []) {
        var s = State()
        for p in peers { s.peers[p.peerID] = p }
        state = Locked(s)
    }

    /// The number of tracked peers.
    var count: Int { state.withLock { $0.peers.count } }

    /// Every peer, oldest first (ties by id).
    func snapshot() -> [PeerRecord] {
        state.withLock { Array($0.peers.values) }.sorted {
            ($0.addedAt, $0.peerID) < ($1.addedAt, $1.peerID)
        }
    }

    /// The peer's record, if tracked.
    func record(_ peerID: Int) -> PeerRecord? {
        state.withLock { $0.peers[peerID] }
    }

    /// A change counter: persisting is due when it moved since the last write.
    var version: Int { state.withLock { $0.version } }

    /// Cycles run on the network by every replica together (shared store only; 0 otherwise).
    var cycleNum: Int { state.withLock { $0.cycleNum } }

    /// The shared store's revision of the table (etcd `mod_revision`); 0 with the file store.
    var storeRevision: Int64 { state.withLock { $0.storeRevision } }

    func withState<T>(_ body: (inout State) -> T) -> T {
        state.withLock { body(&$0) }
    }

    /// Removes peers; returns the ids that were tracked.
    @discardableResult
    func remove(_ ids: some Sequence<Int>) -> [Int] {
        state.withLock { s in
            var removed: [Int] = []
            for id in ids where s.peers.removeValue(forKey: id) != nil {
                removed.append(id)
            }
            if !removed.isEmpty { s.version += 1 }
            return removed
        }
    }

    /// Applies a tag directive to a tracked peer; true when its tags changed.
    func tag(_ peerID: Int, add: [String], remove: [String]) -> Bool {
        state.withLock { s in
            guard s.peers[peerID] != nil, s.peers[peerID]!.applyTag(add: add, remove: remove) else { return false }
            s.version += 1
            return true
        }
    }
}
