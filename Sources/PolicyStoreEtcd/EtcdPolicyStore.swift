public import EtcdClient
import Locking
public import PolicyService

/// Policies in etcd: key `<prefix>policies/<id>`, value the document exactly as received.
///
/// Reads answer from the mirror the follower (`EtcdStoreFollower`) keeps current, so
/// decisions and reads never wait on etcd and keep working while it is down. A write
/// reads the key (linearizable) for its precondition, then commits in a transaction that
/// compares the key's `mod_revision` with what was read: of two writers checking the same
/// document, one wins and the other gets a conflict. A write whose answer was lost is sent
/// again (`EtcdPolicyStore+Writes.swift`). Peer tables live in etcd too, under
/// `<prefix>peers/` (EtcdPolicyStore+Peers.swift).
public final class EtcdPolicyStore: PolicyStore {
    public let client: EtcdClient
    /// Ends with `/`; documents live under `<prefix>policies/`.
    public let prefix: String
    /// The data directory, still opened (and checked) at startup; nothing in it is used while
    /// the peer tables are in etcd.
    let local: FilePolicyStore
    let mirror = Locked(StoreMirror())
    /// The revision the follower applied, for `min_revision` waiters.
    public let applied: AppliedRevision? = AppliedRevision()

    /// - Parameters:
    ///   - prefix: the key prefix (`/policyd/` by default); a missing trailing `/` is added.
    ///   - peerDirectory: the `--data-dir` (opened, unused: peer tables live in etcd).
    public init(client: EtcdClient, prefix: String, peerDirectory: String) throws(StoreError) {
        self.client = client
        self.prefix = prefix.hasSuffix("/") ? prefix : prefix + "/"
        local = try FilePolicyStore(directory: peerDirectory)
    }

    /// Every change up to `revision` is applied (runners included): waiters on it may go on.
    /// With `reset` (another cluster, or one going back) the revision may move backwards.
    func markApplied(_ revision: Int64, reset: Bool = false) {
        let now = mirror.withLock { m in
            m.appliedRevision = reset ? revision : max(m.appliedRevision, revision)
            return m.appliedRevision
        }
        applied?.advance(to: now, allowingBackwards: reset)
    }

    /// `<prefix>policies/`.
    public var policiesPrefix: [UInt8] { Array((prefix + "policies/").utf8) }

    func key(_ networkID: Int) -> [UInt8] { policiesPrefix + Array(String(networkID).utf8) }

    /// The network of a key under `policiesPrefix`, or nil for any other key.
    func networkID(ofKey key: [UInt8]) -> Int? {
        networkID(ofKey: key, under: policiesPrefix)
    }

    /// The network of a key `base` + id, or nil for any other key.
    func networkID(ofKey key: [UInt8], under base: [UInt8]) -> Int? {
        guard key.count > base.count, key.starts(with: base) else { return nil }
        let digits = key[base.count...]
        guard digits.count <= 5, digits.allSatisfy({ $0 >= 48 && $0 <= 57 }), digits.first != 48,
            let id = Int(String(decoding: digits, as: UTF8.self)), NetworkID.isValid(id)
        else { return nil }
        return id
    }

    public func storedNetworks() throws(StoreError) -> [Int] {
        mirror.withLock { m in m.entries.compactMap { $0.value.bytes == nil ? nil : $0.key } }.sorted()
    }

    public func stored(_ networkID: Int) throws(StoreError) -> StoredDocument? {
        mirror.withLock { m in
            m.entries[networkID].flatMap { e in e.bytes.map { StoredDocument(bytes: $0, revision: e.revision) } }
        }
    }

    public func storedForWrite(_ networkID: Int) throws(StoreError) -> StoredDocument? {
        let key = key(networkID)
        let client = client
        let kv = try blocking(timeout: client.callTimeout) { () async throws(EtcdError) in try await client.get(key).kv }
        return kv.map { StoredDocument(bytes: $0.value, revision: $0.modRevision) }
    }

    /// The transaction's condition: none for `any`; else the key's `mod_revision` is still
    /// the one read (0: the key does not exist).
    static func compares(_ key: [UInt8], _ expected: WriteExpectation) -> [EtcdCompare] {
        guard case .document(let document) = expected else { return [] }
        return [EtcdCompare(key: key, .modRevision(document?.revision ?? 0))]
    }

    static func conflict(_ networkID: Int, _ expected: WriteExpectation) -> StoreError {
        guard case .document(let document) = expected else { return StoreError("unconditional write failed", kind: .conflict) }
        return StoreError("network \(networkID) changed in etcd since revision \(document?.revision ?? 0)", kind: .conflict)
    }

    /// The table as this replica last saw it in etcd (the service reads `knownPeerTable`).
    public func peerTable(_ networkID: Int) throws(StoreError) -> [UInt8]? {
        knownPeerTable(networkID).bytes
    }

    /// Nothing: tables reach etcd only through `commitPeerTable`, compared on their revision.
    public func savePeerTable(_ bytes: [UInt8], for networkID: Int) throws(StoreError) {}

    public var status: StoreStatus? {
        mirror.withLock { m in
            StoreStatus(
                connected: m.connected, appliedRevision: m.appliedRevision, watchRestarts: m.watchRestarts,
                resyncs: m.resyncs, rejectedDocuments: m.rejectedDocuments, degraded: m.degraded,
                lastChangeRevision: m.lastChangeRevision)
        }
    }
}
