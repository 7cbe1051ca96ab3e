import EtcdClient
import Testing

@testable import PolicyStoreEtcd

/// The guard in the mirror, without etcd: which full reads are refused, and what a refused one keeps.
@Suite struct WipedStoreGuardTests {
    static func kv(_ id: Int, revision: Int64) -> EtcdKeyValue {
        EtcdKeyValue(key: Array("/policyd/policies/\(id)".utf8), value: Array("doc\(id)@\(revision)".utf8), modRevision: revision)
    }

    static func loaded() -> StoreMirror {
        var m = StoreMirror()
        _ = m.replace(with: [1: kv(1, revision: 5), 2: kv(2, revision: 8)], header: EtcdHeader(clusterID: 7, revision: 10), reset: false)
        return m
    }

    @Test func anEmptyReadWhileServingIsRefusedAndKeepsEveryDocument() throws {
        var m = Self.loaded()
        let outcome = m.refuseWipedStore([:], header: EtcdHeader(clusterID: 7, revision: 1))
        let refused = try #require(outcome)
        #expect(refused.reason.contains("no policy"))
        #expect(refused.changed.isEmpty)
        #expect(m.degraded != nil)
        #expect(m.entries.values.allSatisfy { $0.bytes != nil })
        // Revisions of the wiped store start again: its next write is newer than what is kept.
        let taken = m.advance(1, bytes: Array("new".utf8), revision: 2)
        #expect(taken)
        #expect(m.appliedRevision == 1)
    }

    @Test func anotherClusterIsRefusedButWhatItHoldsIsTaken() throws {
        var m = Self.loaded()
        let outcome = m.refuseWipedStore([2: Self.kv(2, revision: 3)], header: EtcdHeader(clusterID: 9, revision: 3))
        let refused = try #require(outcome)
        #expect(refused.reason.contains("another cluster"))
        #expect(refused.changed == [2])
        #expect(m.entries[1]?.bytes != nil, "missing from the other cluster: kept")
        #expect(m.clusterID == 9)
    }

    @Test func aReadWithPoliciesOfTheSameClusterIsApplied() {
        var m = Self.loaded()
        let outcome = m.refuseWipedStore([1: Self.kv(1, revision: 5)], header: EtcdHeader(clusterID: 7, revision: 12))
        #expect(outcome == nil)
        #expect(m.degraded == nil)
        // Network 2's deletion is then applied by the normal full read.
        let changed = m.replace(with: [1: Self.kv(1, revision: 5)], header: EtcdHeader(clusterID: 7, revision: 12), reset: false)
        #expect(changed == [2])
    }

    @Test func ownWritesTheWatchHasNotBroughtYetCountAsKnownRevisions() {
        // Applied up to 3 by the watch; this process then committed a write at revision 9.
        var m = StoreMirror()
        _ = m.replace(with: [:], header: EtcdHeader(clusterID: 7, revision: 3), reset: false)
        let advanced = m.advance(5, bytes: Array("doc".utf8), revision: 9)
        #expect(advanced)
        #expect(m.appliedRevision == 3)
        // An etcd answering at revision 4 went back in time (it was wiped before the watch caught up).
        #expect(m.knownRevision == 9)
        let outcome = m.refuseWipedStore([:], header: EtcdHeader(clusterID: 7, revision: 4))
        #expect(outcome?.reason.contains("no policy") == true)
        // The wiped store's revisions count from then on: its first write of network 5 is taken.
        let taken = m.advance(5, bytes: Array("new".utf8), revision: 5)
        #expect(taken)
    }

    @Test func nothingIsRefusedWhileTheReplicaHoldsNoPolicy() {
        var m = StoreMirror()
        let outcome = m.refuseWipedStore([:], header: EtcdHeader(clusterID: 7, revision: 1))
        #expect(outcome == nil)
    }

    @Test func whileDegradedAFullReadAddsButRemovesNothing() {
        var m = Self.loaded()
        _ = m.refuseWipedStore([:], header: EtcdHeader(clusterID: 7, revision: 1))
        let changed = m.replace(
            with: [3: Self.kv(3, revision: 2)], header: EtcdHeader(clusterID: 7, revision: 2), reset: false, keepMissing: true)
        #expect(changed == [3])
        #expect(m.entries[1]?.bytes != nil && m.entries[2]?.bytes != nil)
    }
}
