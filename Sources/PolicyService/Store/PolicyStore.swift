/// A stored policy document as received, with the store's version of it.
public struct StoredDocument: Sendable, Equatable {
    public var bytes: [UInt8]
    /// The store's revision of the document (etcd's `mod_revision`); nil in the file store.
    public var revision: Int64?

    public init(bytes: [UInt8], revision: Int64? = nil) {
        self.bytes = bytes
        self.revision = revision
    }
}

/// What a write expects the stored document to be.
public enum WriteExpectation: Sendable, Equatable {
    /// Whatever is stored, if anything (a write without preconditions).
    case any
    /// Exactly this document (nil: none), the one the write's preconditions were checked against.
    case document(StoredDocument?)
}

/// Where policy documents (and peer tables) live: the service's only view of storage.
///
/// Reads (`stored`, `storedNetworks`) answer from what this process knows and never wait on
/// the network; `storedForWrite` is the truth a write's precondition is checked against;
/// `write` and `remove` given that document succeed only if it is still stored (a
/// `conflict` otherwise), so preconditions hold across every process sharing the store.
public protocol PolicyStore: Sendable {
    /// Network ids that have a stored document, ascending.
    func storedNetworks() throws(StoreError) -> [Int]
    /// The document of a network as this process knows it, or nil.
    func stored(_ networkID: Int) throws(StoreError) -> StoredDocument?
    /// The document of a network as the store holds it now (may ask a remote store), or nil.
    func storedForWrite(_ networkID: Int) throws(StoreError) -> StoredDocument?
    /// Stores `bytes` for a network if its document is as `expected`; returns what was stored.
    func write(_ bytes: [UInt8], for networkID: Int, expecting expected: WriteExpectation) throws(StoreError) -> StoredDocument
    /// Removes a network's document if it is as `expected`; false when none was stored.
    func remove(_ networkID: Int, expecting expected: WriteExpectation) throws(StoreError) -> Bool
    /// The peer table saved for a network, or nil (best effort, local).
    func peerTable(_ networkID: Int) throws(StoreError) -> [UInt8]?
    /// Saves a network's peer table (best effort, local).
    func savePeerTable(_ bytes: [UInt8], for networkID: Int) throws(StoreError)
    /// The state of a shared store for `/metrics` and `/readyz`; nil for a local one.
    var status: StoreStatus? { get }
    /// The revision this process has applied, to wait on; nil for a local store (no revisions).
    var applied: AppliedRevision? { get }
    /// Reads the whole store again and takes what it holds as the truth, even an empty store
    /// or another cluster's (`POST /v1/reload?force=true`); ends a degraded state. A local store does nothing.
    func resync() throws(StoreError)
    /// The replicas registered in a shared store, by id; nil for a local store.
    func replicas() throws(StoreError) -> [ReplicaRecord]?
}

extension PolicyStore {
    public var status: StoreStatus? { nil }
    public var applied: AppliedRevision? { nil }
    public func resync() throws(StoreError) {}
    public func replicas() throws(StoreError) -> [ReplicaRecord]? { nil }
}

/// A shared store's state, as metrics and readiness report it.
public struct StoreStatus: Sendable, Equatable {
    /// The last call to the store succeeded, and the watch is up.
    public var connected: Bool
    /// The store revision this process has applied up to.
    public var appliedRevision: Int64
    /// Times the watch was started again after it broke.
    public var watchRestarts: Int
    /// Full re-reads of the store (after compaction, a revision going backwards, another cluster).
    public var resyncs: Int
    /// Documents found in the store that did not compile (kept out; the old runner serves).
    public var rejectedDocuments: Int
    /// Why the store's content is not applied (it came back empty or from another cluster
    /// while runners were serving), until `POST /v1/reload?force=true`; nil when it is.
    public var degraded: String?
    /// The revision of the last policy change applied (stable while nothing changes).
    public var lastChangeRevision: Int64

    public init(
        connected: Bool = false, appliedRevision: Int64 = 0, watchRestarts: Int = 0, resyncs: Int = 0, rejectedDocuments: Int = 0,
        degraded: String? = nil, lastChangeRevision: Int64 = 0
    ) {
        self.degraded = degraded
        self.lastChangeRevision = lastChangeRevision
        self.connected = connected
        self.appliedRevision = appliedRevision
        self.watchRestarts = watchRestarts
        self.resyncs = resyncs
        self.rejectedDocuments = rejectedDocuments
    }
}
