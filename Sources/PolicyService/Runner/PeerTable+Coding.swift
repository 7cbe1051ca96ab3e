import PolicyLanguage

/// The peer table's stored form (a file, or an etcd value): `{"peers":[{peer_id, added_at,
/// last_seen, member_tags, policy_tags}], "cooldowns":[{peer_id, until}]}`, plus
/// `"cycle_num"` once cycles are counted in the table (shared store only).
extension PeerTable {
    /// Encodes the table; also returns the version it encoded.
    func encoded() -> (bytes: [UInt8], version: Int) {
        let (peers, cooldowns, version, cycleNum) = withState { s in (Array(s.peers.values), s.cooldowns, s.version, s.cycleNum) }
        var w = JSONWriter()
        w.beginObject()
        w.key("peers")
        w.beginArray()
        for p in peers.sorted(by: { $0.peerID < $1.peerID }) {
            w.beginObject()
            w.key("peer_id"); w.int(p.peerID)
            w.key("added_at"); w.double(p.addedAt)
            w.key("last_seen"); w.double(p.lastSeen)
            w.key("member_tags"); w.strings(p.memberTags)
            w.key("policy_tags"); w.strings(p.policyTags)
            w.endObject()
        }
        w.endArray()
        w.key("cooldowns")
        w.beginArray()
        for (id, until) in cooldowns.sorted(by: { $0.key < $1.key }) {
            w.beginObject()
            w.key("peer_id"); w.int(id)
            w.key("until"); w.double(until)
            w.endObject()
        }
        w.endArray()
        if cycleNum > 0 {
            w.key("cycle_num"); w.int(cycleNum)
        }
        w.endObject()
        return (w.bytes, version)
    }

    /// Decodes a stored table (as of the shared store's `revision`, 0 for a file); nil when
    /// the bytes are not a peer table.
    static func decode(_ bytes: [UInt8], revision: Int64 = 0) -> PeerTable? {
        guard let json = try? JSONParser().parse(bytes), case .array(let list)? = json["peers"] else { return nil }
        var records: [PeerRecord] = []
        for item in list {
            guard let id = item["peer_id"]?.intValue, let added = item["added_at"]?.numberValue,
                let seen = item["last_seen"]?.numberValue
            else { return nil }
            records.append(
                PeerRecord(
                    peerID: id, addedAt: added, lastSeen: seen,
                    memberTags: item["member_tags"]?.stringArrayValue ?? [],
                    policyTags: item["policy_tags"]?.stringArrayValue ?? []))
        }
        let table = PeerTable(peers: records)
        table.withState { s in
            if case .array(let cooldowns)? = json["cooldowns"] {
                for c in cooldowns {
                    if let id = c["peer_id"]?.intValue, let until = c["until"]?.numberValue { s.cooldowns[id] = until }
                }
            }
            s.cycleNum = json["cycle_num"]?.intValue ?? 0
            s.storeRevision = revision
        }
        return table
    }
}
