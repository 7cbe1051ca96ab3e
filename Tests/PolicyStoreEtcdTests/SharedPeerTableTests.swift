import EtcdClient
import EtcdTestServer
import Foundation
import Locking
import Logging
import PolicyLanguage
import PolicyStoreEtcd
import Testing

@testable import PolicyService

/// Tags every newcomer, publishes a webhook per join; cycles count.
private let joinPolicy = Array(
    """
    {"version": 1, "default_verdict": "deny", "rules": [
      {"name": "ops", "on": "connect", "match": "has_tag(peer_tags, 'probation')", "actions": [{"type": "allow"}]},
      {"name": "mark", "on": "join", "match": "true", "actions": [
        {"type": "tag", "params": {"add": ["probation"]}}, {"type": "webhook", "params": {"event": "joined"}}]},
      {"name": "tick", "on": "cycle", "match": "true", "actions": [{"type": "log", "params": {"message": "tick"}}]}
    ]}
    """.utf8)

private func members(_ ids: ClosedRange<Int>) -> [MemberInput] { ids.map { MemberInput(peerID: $0) } }

/// An ownership whose term is whatever the test says.
private final class FixedOwnership: CycleOwnership {
    let fixed: Int64?
    init(_ term: Int64?) { fixed = term }
    var term: Int64? { fixed }
    var owner: String? { "fixed" }
}

/// Peer tables shared through a real etcd by services in this process (the compute-then-commit path).
@Suite struct SharedPeerTableTests {
    @Test func aMembershipUpdateIsCommittedToEtcdAndTheOtherReplicaTakesTheTable() async throws {
        let etcd = try await EtcdProcess.started()
        let a = try Replica(etcd.endpoint)
        let b = try Replica(etcd.endpoint)
        #expect(await eventually { a.isLoaded && b.isLoaded })
        _ = try await onThread { try a.service.putPolicy(joinPolicy, for: 7) }
        #expect(await eventually { b.service.runner(for: 7) != nil })
        let first = try await onThread { try a.service.updateMembers(members(1...2), for: 7) }
        #expect(first.joined == [1, 2])
        // Read-your-writes on a, and the table is in etcd.
        #expect(a.service.runner(for: 7)?.peers.record(1)?.policyTags == ["probation"])
        let stored = try await a.client.get(Array("/policyd/peers/7".utf8))
        #expect(stored.kv?.modRevision == a.service.runner(for: 7)?.peers.storeRevision)
        // b takes it from the watch; a decision on b sees the tag the join rule set on a.
        #expect(await eventually { b.service.runner(for: 7)?.peers.count == 2 })
        var input = DecisionInput(event: .connect)
        input.peerID = 2
        #expect(b.service.runner(for: 7)?.decide(input).verdict == .allow)
        // b computes against etcd's table: 1 and 2 are members already, only 3 joins.
        let second = try await onThread { try b.service.updateMembers(members(1...3), for: 7) }
        #expect(second.joined == [3])
        #expect(second.peers == 3)
        #expect(await eventually { a.service.runner(for: 7)?.peers.count == 3 })
        await a.close()
        await b.close()
    }

    @Test func membershipUpdatesRacingOnTwoReplicasJoinEveryPeerExactlyOnce() async throws {
        let etcd = try await EtcdProcess.started()
        let a = try Replica(etcd.endpoint)
        let b = try Replica(etcd.endpoint)
        #expect(await eventually { a.isLoaded && b.isLoaded })
        _ = try await onThread { try a.service.putPolicy(joinPolicy, for: 3) }
        #expect(await eventually { b.service.runner(for: 3) != nil })
        let joined = Locked([Int]())
        for round in 1...15 {
            await withTaskGroup(of: Void.self) { group in
                for replica in [a, b] {
                    group.addTask {
                        guard let r = try? await onThread({ try replica.service.updateMembers(members(1...round), for: 3) }) else {
                            Issue.record("round \(round): the update failed")
                            return
                        }
                        joined.withLock { $0 += r.joined }
                    }
                }
            }
        }
        // No member lost, none joined twice: each join ran once, on one replica.
        #expect(joined.withLock { $0.sorted() } == Array(1...15))
        let webhooks = a.events.withLock { $0.count } + b.events.withLock { $0.count }
        #expect(webhooks == 15)
        #expect(await eventually { a.service.runner(for: 3)?.peers.count == 15 && b.service.runner(for: 3)?.peers.count == 15 })
        #expect(b.service.runner(for: 3)?.peers.snapshot().allSatisfy { $0.policyTags == ["probation"] } == true)
        await a.close()
        await b.close()
    }

    @Test func cyclesOnAnyReplicaAreCountedOnceClusterWide() async throws {
        let etcd = try await EtcdProcess.started()
        let a = try Replica(etcd.endpoint)
        let b = try Replica(etcd.endpoint)
        #expect(await eventually { a.isLoaded && b.isLoaded })
        _ = try await onThread { try a.service.putPolicy(joinPolicy, for: 5) }
        #expect(await eventually { b.service.runner(for: 5) != nil })
        #expect(try await onThread { try a.service.runCycle(5) }.cycleNum == 1)
        #expect(try await onThread { try b.service.runCycle(5) }.cycleNum == 2)
        #expect(try await onThread { try a.service.runCycle(5) }.cycleNum == 3)
        #expect(await eventually { a.service.runner(for: 5)?.cycleNum == 3 && b.service.runner(for: 5)?.cycleNum == 3 })
        // The count survives a swap (the table belongs to the network) ...
        _ = try await onThread { try b.service.putPolicy(joinPolicy + Array(" ".utf8), for: 5) }
        #expect(try await onThread { try a.service.runCycle(5) }.cycleNum == 4)
        // ... and goes with the policy: the delete removes the table in the same transaction.
        try await onThread { try b.service.deletePolicy(for: 5) }
        #expect(try await a.client.get(Array("/policyd/peers/5".utf8)).kv == nil)
        _ = try await onThread { try a.service.putPolicy(joinPolicy, for: 5) }
        #expect(try await onThread { try a.service.runCycle(5) }.cycleNum == 1)
        await a.close()
        await b.close()
    }

    @Test func aCycleOnATermThatIsNoLongerTheOwnersIsRefused() async throws {
        let etcd = try await EtcdProcess.started()
        let a = try Replica(etcd.endpoint)
        #expect(await eventually { a.isLoaded })
        _ = try await onThread { try a.service.putPolicy(joinPolicy, for: 9) }
        let client = a.client
        let owner = Array("/policyd/cycle-owner".utf8)
        let won = try await client.txn([EtcdCompare(key: owner, .version(0))], success: [.put(key: owner, value: Array("x".utf8))])
        let term = won.header.revision
        // The owner's term is the key's revision: a commit on it goes through ...
        let table = a.store.knownPeerTable(9)
        let ok = try await onThread {
            try a.store.commitPeerTable(Array(#"{"peers":[],"cycle_num":1}"#.utf8), for: 9, expecting: 0, fence: term)
        }
        guard case .committed(let revision) = ok else {
            Issue.record("not committed: \(ok)")
            return
        }
        #expect(table.revision == 0)
        // ... until the key changes hands: then the same term is fenced off, whatever the table.
        try await client.delete(owner)
        try await client.put(owner, Array("y".utf8))
        let refused = try await onThread {
            try a.store.commitPeerTable(Array(#"{"peers":[],"cycle_num":2}"#.utf8), for: 9, expecting: revision, fence: term)
        }
        #expect(refused == .fenced)
        #expect(try await client.get(Array("/policyd/peers/9".utf8)).kv?.modRevision == revision)
        await a.close()
    }

    @Test func onlyTheElectedReplicaHasATermAndAnotherTakesOverWhenItResigns() async throws {
        let etcd = try await EtcdProcess.started()
        let logger = Logger(label: "election") { _ in SwiftLogNoOpLogHandler() }
        let client = try EtcdClient(etcd.endpoint, callTimeout: .seconds(3))
        let key = Array("/policyd/cycle-owner".utf8)
        let a = CycleOwnerElection(client: client, key: key, ttl: 2, logger: logger, pollInterval: .milliseconds(100))
        let b = CycleOwnerElection(client: client, key: key, ttl: 2, logger: logger, pollInterval: .milliseconds(100))
        a.start(replicaID: "a")
        #expect(await eventually { a.term != nil })
        b.start(replicaID: "b")
        #expect(await eventually { b.owner == "a" })
        #expect(b.term == nil)
        let old = try #require(a.term)
        await a.stop()
        #expect(a.term == nil)
        #expect(await eventually { b.term != nil && b.owner == "b" })
        #expect(b.term != old)
        await b.stop()
        client.close()
    }

    @Test func timedCyclesRunOnlyWithATerm() async throws {
        let etcd = try await EtcdProcess.started()
        let none = try Replica(etcd.endpoint, cycleOwnership: FixedOwnership(nil))
        #expect(await eventually { none.isLoaded })
        let policy = String(decoding: joinPolicy, as: UTF8.self).replacingOccurrences(
            of: #""default_verdict": "deny","#, with: #""default_verdict": "deny", "config": {"cycle": "1s"},"#)
        _ = try await onThread { try none.service.putPolicy(Array(policy.utf8), for: 4) }
        try await Task.sleep(for: .milliseconds(2500))
        #expect(none.service.runner(for: 4)?.cycleNum == 0)
        #expect(none.service.runner(for: 4)?.cycleOwner == "fixed")
        await none.close()
    }
}
