import EtcdClient
import Locking
public import PolicyService

/// Peer tables in etcd: key `<prefix>peers/<id>`, value the table's JSON (with the network's
/// cluster-wide `cycle_num`). A commit is a transaction comparing the table's `mod_revision`
/// with the one the change was computed from, that the network's document still exists and,
/// for the cycle owner's timed cycles, that `<prefix>cycle-owner` is still at the owner's
/// term: a replica that lost the cycles cannot commit one.
extension EtcdPolicyStore: SharedPeerStore {
    /// `<prefix>peers/`.
    public var peersPrefix: [UInt8] { Array((prefix + "peers/").utf8) }

    /// `<prefix>cycle-owner`: the cycle owner election's key.
    public var cycleOwnerKey: [UInt8] { Array((prefix + "cycle-owner").utf8) }

    func peersKey(_ networkID: Int) -> [UInt8] { peersPrefix + Array(String(networkID).utf8) }

    /// The network of a key under `peersPrefix`, or nil for any other key.
    func networkID(ofPeersKey key: [UInt8]) -> Int? {
        networkID(ofKey: key, under: peersPrefix)
    }

    public func knownPeerTable(_ networkID: Int) -> SharedPeerTable {
        mirror.withLock { m in
            m.peers[networkID].map { SharedPeerTable(bytes: $0.bytes, revision: $0.revision) } ?? SharedPeerTable(bytes: nil, revision: 0)
        }
    }

    public func commitPeerTable(_ bytes: [UInt8], for networkID: Int, expecting revision: Int64, fence: Int64?) throws(StoreError)
        -> PeerCommit
    {
        let key = peersKey(networkID)
        let document = self.key(networkID)
        let owner = cycleOwnerKey
        var compares = [
            EtcdCompare(key: key, .modRevision(revision)),
            EtcdCompare(key: document, .version(0), .greater),
        ]
        if let fence { compares.append(EtcdCompare(key: owner, .modRevision(fence))) }
        let client = client
        let condition = compares
        let result = try blocking(timeout: client.callTimeout) { () async throws(EtcdError) in
            try await client.txn(
                condition, success: [.put(key: key, value: bytes)], failure: [.get(key: key), .get(key: document), .get(key: owner)])
        }
        if result.succeeded {
            let committed = result.header.revision
            _ = mirror.withLock { $0.advancePeers(networkID, bytes: bytes, revision: committed) }
            return .committed(revision: committed)
        }
        guard result.results.count == 3, case .get(let table) = result.results[0], case .get(let doc) = result.results[1],
            case .get(let ownerKV) = result.results[2]
        else { throw StoreError("etcd answered a peer table transaction without its reads", kind: .io) }
        if let fence, ownerKV.first?.modRevision != fence { return .fenced }
        if doc.isEmpty { return .noPolicy }
        // Not recorded in the mirror: the watch brings it, and then the runner takes it.
        return .conflict(SharedPeerTable(bytes: table.first?.value, revision: table.first?.modRevision ?? 0))
    }
}
