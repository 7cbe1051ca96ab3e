import Foundation
import Testing

@testable import PolicyService

/// A shared store's committed tables as a runner takes them (the file store never calls this).
@Suite struct PeerTableAdoptTests {
    private func table(_ json: String, revision: Int64) throws -> PeerTable {
        try #require(PeerTable.decode(Array(json.utf8), revision: revision))
    }

    @Test func theCycleCountIsPartOfTheStoredFormOnlyOnceCounted() throws {
        let fresh = PeerTable(peers: [PeerRecord(peerID: 1, addedAt: 10, lastSeen: 20)])
        // The file store's form is unchanged: no cycle_num while none is counted in the table.
        #expect(!String(decoding: fresh.encoded().bytes, as: UTF8.self).contains("cycle_num"))
        fresh.withState { $0.cycleNum = 7 }
        let decoded = try #require(PeerTable.decode(fresh.encoded().bytes, revision: 42))
        #expect(decoded.cycleNum == 7)
        #expect(decoded.storeRevision == 42)
        #expect(decoded.snapshot() == fresh.snapshot())
    }

    @Test func aNewerTableReplacesTheContentButKeepsTheLaterLastSeen() throws {
        let local = try table(
            #"{"peers":[{"peer_id":1,"added_at":1,"last_seen":50},{"peer_id":2,"added_at":1,"last_seen":5}]}"#, revision: 3)
        let committed = try table(
            #"{"peers":[{"peer_id":1,"added_at":1,"last_seen":9,"policy_tags":["p"]},{"peer_id":3,"added_at":8,"last_seen":8}],"cycle_num":4}"#,
            revision: 0)
        #expect(local.adopt(committed, revision: 6))
        #expect(local.snapshot().map(\.peerID) == [1, 3])
        // A decision here saw peer 1 at 50, after the committing replica did (9).
        #expect(local.record(1)?.lastSeen == 50)
        #expect(local.record(1)?.policyTags == ["p"])
        #expect(local.cycleNum == 4)
        #expect(local.storeRevision == 6)
    }

    @Test func anOlderOrTheSameRevisionChangesNothing() throws {
        let local = try table(#"{"peers":[{"peer_id":1,"added_at":1,"last_seen":1}],"cycle_num":9}"#, revision: 10)
        let late = try table(#"{"peers":[],"cycle_num":8}"#, revision: 0)
        #expect(!local.adopt(late, revision: 10))
        #expect(!local.adopt(late, revision: 7))
        #expect(local.count == 1)
        #expect(local.cycleNum == 9)
    }
}
