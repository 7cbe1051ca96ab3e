import Foundation
import PolicyLanguage
import Synchronization
import Testing

@testable import PolicyService

@Suite struct SwapTests {
    @Test func lookupsNeverFindNoRunnerWhileWritersReplaceOneNetwork() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let service = try makeService(dir)
        _ = try service.putPolicy(allowPortPolicy(1), for: 7)

        let stop = Atomic<Bool>(false)
        let empty = Atomic<Int>(0)
        let lookups = Atomic<Int>(0)
        let backwards = Atomic<Int>(0)
        let notStarted = Atomic<Int>(0)
        let results = Recorder<Runner>()
        let readers = 4, writers = 3, perWriter = 100

        let group = DispatchGroup()
        for _ in 0..<readers {
            group.enter()
            Thread {
                var last = 0
                while !stop.load(ordering: .relaxed) {
                    guard let r = service.runner(for: 7) else {
                        empty.add(1, ordering: .relaxed)
                        continue
                    }
                    if r.generation < last { backwards.add(1, ordering: .relaxed) }
                    // A runner is started before it can be found (it may be stopped already: replaced).
                    if r.state == .created { notStarted.add(1, ordering: .relaxed) }
                    last = r.generation
                    lookups.add(1, ordering: .relaxed)
                }
                group.leave()
            }.start()
        }
        onThreads(writers) { w in
            for n in 0..<perWriter {
                let outcome = try! service.putPolicy(allowPortPolicy(1000 + w * perWriter + n), for: 7)
                results.append(outcome.runner)
            }
        }
        stop.store(true, ordering: .relaxed)
        group.wait()

        #expect(load(empty) == 0)
        #expect(load(backwards) == 0)
        #expect(load(notStarted) == 0)
        #expect(load(lookups) > 0)
        let runners = results.all
        #expect(runners.count == writers * perWriter)
        #expect(Set(runners.map(\.generation)).count == runners.count)
        let final = try #require(service.runner(for: 7))
        #expect(final.generation == 1 + writers * perWriter)
        #expect(final.generation == runners.map(\.generation).max())
        #expect(final.state == .running)
        #expect(final.etag == (try service.document(for: 7)).etag)
        for runner in runners where runner !== final {
            #expect(runner.state == .stopped)
        }
    }

    @Test func generationsStrictlyIncreaseInCompletionOrderOfOneWriter() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let service = try makeService(dir)
        var last = 0
        for n in 0..<20 {
            let outcome = try service.putPolicy(allowPortPolicy(n), for: 3)
            #expect(outcome.runner.generation > last)
            #expect(outcome.created == (n == 0))
            last = outcome.runner.generation
        }
    }

    @Test func hundredNetworksReplacedConcurrentlyNeverLoseTheirRunner() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let service = try makeService(dir)
        let networks = Array(1...100)
        for id in networks { _ = try service.putPolicy(allowPortPolicy(id), for: id) }

        let stop = Atomic<Bool>(false)
        let empty = Atomic<Int>(0)
        let group = DispatchGroup()
        for r in 0..<3 {
            group.enter()
            Thread {
                var i = r
                while !stop.load(ordering: .relaxed) {
                    if service.runner(for: networks[i % networks.count]) == nil { empty.add(1, ordering: .relaxed) }
                    i &+= 7
                }
                group.leave()
            }.start()
        }
        let replaced = Recorder<Runner>()
        onThreads(4) { w in
            for round in 0..<3 {
                for id in networks where id % 4 == w {
                    replaced.append(try! service.putPolicy(allowPortPolicy(10_000 + round * 100 + id), for: id).runner)
                }
            }
        }
        stop.store(true, ordering: .relaxed)
        group.wait()

        #expect(load(empty) == 0)
        for id in networks {
            let runner = try #require(service.runner(for: id))
            #expect(runner.generation == 4)
            #expect(runner.state == .running)
        }
        for runner in replaced.all where service.runner(for: runner.networkID) !== runner {
            #expect(runner.state == .stopped)
        }
    }

    @Test func oldRunnerStopsOnlyAfterTheNewOneIsRegistered() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let swaps = Recorder<SwapEvent>()
        let service = try makeService(dir, swaps: swaps)
        for n in 0..<5 { _ = try service.putPolicy(allowPortPolicy(n), for: 9) }
        _ = try service.reload(9)
        try service.deletePolicy(for: 9)

        let events = swaps.all
        // Four replacements (the first PUT creates), the reload and the delete: six runners stopped.
        #expect(events.filter { if case .stopped = $0 { true } else { false } }.count == 6)
        for (stoppedAt, event) in events.enumerated() {
            guard case .stopped(let network, let generation) = event else { continue }
            let registeredAt = events.firstIndex(of: .registered(networkID: network, generation: generation + 1))
            if let registeredAt {
                #expect(registeredAt < stoppedAt, "generation \(generation) stopped before its successor registered")
            } else {
                #expect(generation == 6, "only the deleted last runner stops without a successor")
            }
        }
        #expect(events.count == 6 + 6)
        #expect(service.runner(for: 9) == nil)
    }

    @Test func concurrentWritersOfOneNetworkLeaveStoreAndRegistryAgreeing() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let service = try makeService(dir)
        onThreads(4) { w in
            for n in 0..<25 { _ = try! service.putPolicy(allowPortPolicy(w * 100 + n), for: 11) }
        }
        let runner = try #require(service.runner(for: 11))
        let stored = try service.document(for: 11)
        #expect(runner.etag == stored.etag)
        let port = runner.policy.rules[0].name
        #expect(String(decoding: stored.bytes, as: UTF8.self).contains("\"\(port)\""))
    }

    @Test func everyActiveRunnerIsListedOnceInNetworkOrder() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let service = try makeService(dir)
        for id in [9, 3, 65535, 1, 9, 200] { _ = try service.putPolicy(allowPortPolicy(id), for: id) }
        _ = try service.deletePolicy(for: 3)
        #expect(service.runners().map(\.networkID) == [1, 9, 200, 65535])
        #expect(service.runners().allSatisfy { $0 === service.runner(for: $0.networkID) })
        _ = try service.putPolicy(allowPortPolicy(3), for: 3)
        #expect(service.runners().map(\.networkID) == [1, 3, 9, 200, 65535])
        #expect(service.runnerCount == 5)
    }
}
