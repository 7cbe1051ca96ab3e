/// A store whose peer tables every replica shares (etcd). A change is computed on a copy of
/// the table as the store holds it and committed only if the table is still at the revision
/// the copy came from.
public protocol SharedPeerStore: Sendable {
    /// The network's table as this replica last saw it in the store; never waits on the network.
    func knownPeerTable(_ networkID: Int) -> SharedPeerTable
    /// Stores `bytes` as the network's table if the stored one is still at `revision` (0: none
    /// stored), the network still has a document and, with a `fence`, the cycle owner's term
    /// is still `fence` (see `CycleOwnership`). Never retries a refused commit itself.
    func commitPeerTable(_ bytes: [UInt8], for networkID: Int, expecting revision: Int64, fence: Int64?) throws(StoreError)
        -> PeerCommit
}

/// A peer table as the shared store holds it.
public struct SharedPeerTable: Sendable, Equatable {
    /// nil: no table stored (or deleted).
    public var bytes: [UInt8]?
    /// The store's revision of the table (of its deletion; 0: never stored).
    public var revision: Int64

    public init(bytes: [UInt8]?, revision: Int64) {
        self.bytes = bytes
        self.revision = revision
    }
}

/// What became of a peer table commit.
public enum PeerCommit: Sendable, Equatable {
    /// Stored at this revision.
    case committed(revision: Int64)
    /// Someone else changed the table first; this is the table now.
    case conflict(SharedPeerTable)
    /// The network has no document any more.
    case noPolicy
    /// The cycle owner's term moved on: this replica no longer owns the cycles.
    case fenced
}

/// Which replica runs the cycle timers of every network (an election in the shared store).
public protocol CycleOwnership: Sendable {
    /// This replica's term (the revision at which it became owner) while it owns the cycles
    /// and its lease has not run out by its own clock; nil otherwise. A cycle run on this
    /// term is committed only if the term is still current in the store (the fence).
    var term: Int64? { get }
    /// The owning replica's id as last seen; nil when none is known.
    var owner: String? { get }
}
