import EtcdClient
import EtcdTestServer
import Foundation
import Logging
import PolicyService
import PolicyStoreEtcd

/// `policyd-bench etcd`: replicas over a real etcd (Debian's etcd-server, started here on
/// free loopback ports and stopped at the end).
///   propagation  a PUT on replica A until replica B runs it (its swap registered), over
///                BENCH_ETCD_WRITES (200) writes, one at a time: p50, p99, max;
///   startup      a new replica reading BENCH_ETCD_POLICIES (10 000) documents from etcd
///                until it is ready (first list applied, every runner started).
/// Replicas are services in this process (no HTTP): what is timed is etcd's commit, the
/// watch and the swap.
struct EtcdBench {
    let writes: Int
    let policies: Int

    func run() async throws {
        let etcd = try EtcdProcess.single()
        defer { etcd.stop() }
        print("policyd-bench etcd: etcd \(etcd.endpoint), \(ProcessInfo.processInfo.activeProcessorCount) cores")
        try await propagation(etcd)
        try await startup(etcd)
    }

    private func propagation(_ etcd: EtcdProcess) async throws {
        let a = try BenchReplica(etcd.endpoint, prefix: "/bench-propagation/")
        let b = try BenchReplica(etcd.endpoint, prefix: "/bench-propagation/")
        await onThread {
            a.waitLoaded()
            b.waitLoaded()
        }
        let policy = benchPolicy()
        let results = await onThread {
            var took: [Double] = []
            for i in 0..<writes {
                let clock = ContinuousClock()
                let began = clock.now
                let put: PutOutcome
                do {
                    put = try a.service.putPolicy(policy(i), for: 1 + i % 50)
                } catch {
                    fatalError("write \(i) failed: \(error)")
                }
                guard let revision = put.status.revision else { fatalError("write \(i) has no revision") }
                b.waitRevision(1 + i % 50, revision)
                let (s, atto) = (clock.now - began).components
                took.append(Double(s) + Double(atto) / 1e18)
            }
            return took.sorted()
        }
        print("\npropagation: PUT on replica A until replica B runs it, \(writes) writes over 50 networks")
        print(
            "  p50 \(format(quantile(results, 0.5) * 1000, 2)) ms, p99 \(format(quantile(results, 0.99) * 1000, 2)) ms, "
                + "max \(format((results.last ?? 0) * 1000, 2)) ms")
        await a.close()
        await b.close()
    }

    private func startup(_ etcd: EtcdProcess) async throws {
        let client = try EtcdClient(etcd.endpoint, callTimeout: .seconds(30))
        defer { client.close() }
        let policy = benchPolicy()
        // etcd takes at most 128 operations per transaction.
        var id = 1
        while id <= policies {
            let ops = (id..<min(id + 128, policies + 1)).map { n in
                EtcdOperation.put(key: Array("/bench-startup/policies/\(n)".utf8), value: policy(n))
            }
            _ = try await client.txn([], success: ops)
            id += 128
        }
        let clock = ContinuousClock()
        let began = clock.now
        let replica = try BenchReplica(etcd.endpoint, prefix: "/bench-startup/")
        await onThread { replica.waitLoaded() }
        let (s, atto) = (clock.now - began).components
        let took = Double(s) + Double(atto) / 1e18
        print("\nstartup: a replica reading \(policies) policies from etcd until ready")
        print("  \(format(took, 2)) s, \(replica.service.runnerCount) runners (goal: under 5 s)")
        await replica.close()
    }
}

/// A service following etcd, in this process.
final class BenchReplica: Sendable {
    let service: PolicyService
    let follower: EtcdStoreFollower
    let client: EtcdClient
    let dir: String
    private let loaded = DispatchSemaphore(value: 0)
    private let swaps: SwapWaiter

    init(_ endpoint: String, prefix: String) throws {
        dir = NSTemporaryDirectory() + "policyd-bench-etcd-" + UUID().uuidString
        client = try EtcdClient(endpoint)
        let store = try EtcdPolicyStore(client: client, prefix: prefix, peerDirectory: dir)
        var logger = Logger(label: "policyd-bench")
        logger.logLevel = .warning
        let swaps = SwapWaiter()
        self.swaps = swaps
        service = PolicyService(store: store, environment: RunnerEnvironment(logger: logger)) { event in swaps.signal(event) }
        let loaded = self.loaded
        follower = EtcdStoreFollower(store: store, service: service, logger: logger) { loaded.signal() }
        follower.start()
    }

    func waitLoaded() {
        loaded.wait()
        loaded.signal()
    }

    /// Blocks until the network's runner runs `revision` or later.
    func waitRevision(_ networkID: Int, _ revision: Int64) {
        while (service.status(network: networkID)?.revision ?? 0) < revision { swaps.wait() }
    }

    func close() async {
        await follower.stop()
        service.shutdown()
        client.close()
        try? FileManager.default.removeItem(atPath: dir)
    }
}

/// Wakes a waiter on every registration.
final class SwapWaiter: Sendable {
    private let semaphore = DispatchSemaphore(value: 0)

    func signal(_ event: SwapEvent) {
        if case .registered = event { semaphore.signal() }
    }

    func wait() { _ = semaphore.wait(timeout: .now() + .milliseconds(50)) }
}

/// Alternating small documents, different per write (so each is a real swap).
private func benchPolicy() -> @Sendable (Int) -> [UInt8] {
    { n in
        Array(
            """
            {"version": 1, "default_verdict": "deny", "rules": [
              {"name": "port-\(n)", "on": "connect", "match": "port == \(n % 65536)", "actions": [{"type": "allow"}]}
            ]}
            """.utf8)
    }
}

/// Blocking work off the concurrency pool.
private func onThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: body()) }.start()
    }
}
