import EtcdClient
import EtcdTestServer
import Foundation
import Locking
import Logging
import PolicyLanguage
import PolicyStoreEtcd
import Testing

@testable import PolicyService

/// Replicas (services in this process) sharing one real etcd.
@Suite struct EtcdStoreTests {
    @Test func aWriteOnOneReplicaReachesTheOtherWithItsRevision() async throws {
        let etcd = try await EtcdProcess.started()
        let a = try Replica(etcd.endpoint)
        let b = try Replica(etcd.endpoint)
        #expect(await eventually { a.isLoaded && b.isLoaded })
        let put = try await onThread { try a.service.putPolicy(allowPortPolicy(22), for: 7) }
        #expect(put.created)
        let revision = try #require(put.runner.revision)
        // Read-your-writes on a: the answer came after a ran it.
        #expect(a.service.runner(for: 7)?.revision == revision)
        #expect(await eventually { b.service.runner(for: 7)?.revision == revision })
        #expect(b.service.runner(for: 7)?.etag == put.runner.etag)
        #expect(try b.service.document(for: 7).bytes == allowPortPolicy(22))

        try await onThread { try b.service.deletePolicy(for: 7) }
        #expect(b.service.runner(for: 7) == nil)
        #expect(await eventually { a.service.runner(for: 7) == nil })
        #expect(try a.store.storedNetworks() == [])
        await a.close()
        await b.close()
    }

    @Test func ofTwoWritersWithTheSameIfMatchOnTwoReplicasExactlyOneWins() async throws {
        let etcd = try await EtcdProcess.started()
        let a = try Replica(etcd.endpoint)
        let b = try Replica(etcd.endpoint)
        #expect(await eventually { a.isLoaded && b.isLoaded })
        let first = try await onThread { try a.service.putPolicy(allowPortPolicy(1), for: 3) }
        #expect(await eventually { b.service.runner(for: 3)?.revision == first.runner.revision })
        let etag = first.runner.etag
        for round in 0..<5 {
            let current = try #require(a.service.runner(for: 3)?.etag)
            let results = Locked([Bool]())
            let replicas = [a, b]
            await withTaskGroup(of: Void.self) { group in
                for (i, replica) in replicas.enumerated() {
                    group.addTask {
                        let ok: Bool
                        do {
                            _ = try await onThread {
                                try replica.service.putPolicy(
                                    allowPortPolicy(100 + round * 2 + i), for: 3,
                                    expecting: storedETag(is: current))
                            }
                            ok = true
                        } catch {
                            ok = false
                            #expect(error as? ServiceError != nil)
                            if case .preconditionFailed = error as? ServiceError {} else { Issue.record("not a 412: \(error)") }
                        }
                        results.withLock { $0.append(ok) }
                    }
                }
            }
            #expect(results.withLock { $0.filter { $0 }.count } == 1, "round \(round)")
            let winner = try #require(try await onThread { try a.store.storedForWrite(3) })
            #expect(
                await eventually {
                    a.service.runner(for: 3)?.revision == winner.revision && b.service.runner(for: 3)?.revision == winner.revision
                })
        }
        #expect(a.service.runner(for: 3)?.etag != etag)
        // If-None-Match: * holds across replicas as well.
        await #expect(throws: ServiceError.self) {
            _ = try await onThread {
                try b.service.putPolicy(allowPortPolicy(9), for: 3, expecting: nothingStored)
            }
        }
        await a.close()
        await b.close()
    }

    @Test func theSameDocumentWrittenAgainMovesTheRevisionWithoutASwapElsewhere() async throws {
        let etcd = try await EtcdProcess.started()
        let a = try Replica(etcd.endpoint)
        let b = try Replica(etcd.endpoint)
        #expect(await eventually { a.isLoaded && b.isLoaded })
        let first = try await onThread { try a.service.putPolicy(allowPortPolicy(5), for: 1) }
        #expect(await eventually { b.service.runner(for: 1)?.revision == first.runner.revision })
        let second = try await onThread { try a.service.putPolicy(allowPortPolicy(5), for: 1) }
        #expect(await eventually { b.service.runner(for: 1)?.revision == second.runner.revision })
        #expect(b.service.runner(for: 1)?.generation == 1)
        await a.close()
        await b.close()
    }

    @Test func aDocumentThatDoesNotCompileKeepsTheOldRunnerAndIsReported() async throws {
        let etcd = try await EtcdProcess.started()
        let a = try Replica(etcd.endpoint)
        #expect(await eventually { a.isLoaded })
        let put = try await onThread { try a.service.putPolicy(allowPortPolicy(5), for: 2) }
        // Someone else writes garbage under the prefix.
        try await a.client.put(Array("/policyd/policies/2".utf8), Array(#"{"version": 1, "rules": [{"name": 3}]}"#.utf8))
        #expect(await eventually { a.store.status?.rejectedDocuments == 1 })
        #expect(a.service.runner(for: 2)?.etag == put.runner.etag)
        let reload = a.service.reloadAll(force: false)
        #expect(reload.map(\.action) == [.failed])
        await a.close()
    }

    @Test func whileEtcdIsDownReadsGoOnAndWritesFailFastThenRecover() async throws {
        let etcd = try await EtcdProcess.started()
        let a = try Replica(etcd.endpoint, timeout: .milliseconds(800))
        #expect(await eventually { a.isLoaded })
        _ = try await onThread { try a.service.putPolicy(allowPortPolicy(5), for: 4) }
        etcd.kill9()
        #expect(await eventually { a.store.status?.connected == false })
        var input = DecisionInput(event: .connect)
        input.port = 5
        #expect(a.service.runner(for: 4)?.decide(input).verdict == .allow)
        #expect(try a.service.document(for: 4).bytes == allowPortPolicy(5))
        await #expect {
            _ = try await onThread { try a.service.putPolicy(allowPortPolicy(6), for: 4) }
        } throws: { error in
            guard case .storage(let e) = error as? ServiceError else { return false }
            return e.kind == .unavailable
        }
        #expect(a.service.runner(for: 4)?.policy.rules.first?.name == "port-5")

        try await etcd.restart()
        #expect(await eventually { a.store.status?.connected == true })
        let put = try await onThread { try a.service.putPolicy(allowPortPolicy(6), for: 4) }
        #expect(a.service.runner(for: 4)?.revision == put.runner.revision)
        #expect((a.store.status?.watchRestarts ?? 0) >= 1)
        await a.close()
    }

    @Test func aFollowerResumingPastCompactedHistoryResyncsIncludingDeletions() async throws {
        let etcd = try await EtcdProcess.started()
        let a = try Replica(etcd.endpoint)
        let b = try Replica(etcd.endpoint)
        #expect(await eventually { a.isLoaded && b.isLoaded })
        for id in 1...3 { _ = try await onThread { try a.service.putPolicy(allowPortPolicy(id), for: id) } }
        #expect(await eventually { b.service.runnerCount == 3 })
        // b stops following; meanwhile 1 is deleted, 2 changed, 4 added, and the history compacted.
        await b.follower.stop()
        try await onThread { try a.service.deletePolicy(for: 1) }
        _ = try await onThread { try a.service.putPolicy(allowPortPolicy(22), for: 2) }
        let last = try await onThread { try a.service.putPolicy(allowPortPolicy(4), for: 4) }
        try await a.client.compact(try #require(last.runner.revision))
        // A new follower over b's store resumes from b's cursor, finds it compacted, reads everything.
        let resumed = EtcdStoreFollower(store: b.store, service: b.service, logger: .init(label: "t") { _ in SwiftLogNoOpLogHandler() })
        resumed.start()
        #expect(await eventually { b.service.runners().map(\.networkID) == [2, 3, 4] })
        #expect(b.service.runner(for: 2)?.revision == a.service.runner(for: 2)?.revision)
        #expect(b.service.runner(for: 3)?.generation == 1)  // unchanged: not swapped
        #expect(b.store.status?.resyncs == 1)
        await resumed.stop()
        await a.close()
        await b.close()
    }
}

/// The swap's guarantee with the etcd store: writers on two replicas and watch-driven swaps
/// never leave a network without a runner, on either replica.
@Suite struct EtcdSwapTests {
    @Test func lookupsNeverFindNoRunnerWhileTwoReplicasWriteTheSameNetwork() async throws {
        let etcd = try await EtcdProcess.started()
        let a = try Replica(etcd.endpoint)
        let b = try Replica(etcd.endpoint)
        #expect(await eventually { a.isLoaded && b.isLoaded })
        _ = try await onThread { try a.service.putPolicy(allowPortPolicy(1), for: 9) }
        #expect(await eventually { b.service.runner(for: 9) != nil })
        let missing = Locked(0)
        let done = Locked(false)
        let readers = (0..<2).map { i in
            Thread {
                let service = i == 0 ? a.service : b.service
                while !done.withLock({ $0 }) {
                    if service.runner(for: 9) == nil { missing.withLock { $0 += 1 } }
                }
            }
        }
        for reader in readers { reader.start() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (w, replica) in [a, b].enumerated() {
                group.addTask {
                    for i in 0..<15 {
                        _ = try await onThread { try replica.service.putPolicy(allowPortPolicy(100 * w + i), for: 9) }
                    }
                }
            }
            try await group.waitForAll()
        }
        let final = try #require(try await onThread { try a.store.storedForWrite(9)?.revision })
        #expect(await eventually { a.service.runner(for: 9)?.revision == final && b.service.runner(for: 9)?.revision == final })
        done.withLock { $0 = true }
        #expect(missing.withLock { $0 } == 0)
        await a.close()
        await b.close()
    }
}
