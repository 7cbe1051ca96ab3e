import EtcdClient
import EtcdTestServer
import Foundation
import Locking
import Logging
import PolicyService
import PolicyStoreEtcd

/// One replica in a test: a service over an etcd store, following etcd, with its own
/// temporary data directory for peer tables.
final class Replica: Sendable {
    let client: EtcdClient
    let store: EtcdPolicyStore
    let service: PolicyService
    let follower: EtcdStoreFollower
    let dir: String
    /// The webhook events its runners published, in order.
    let events = Locked<[PolicyEvent]>([])
    private let loaded = Locked(false)

    init(
        _ endpoints: String, prefix: String = "/policyd/", timeout: Duration = .seconds(5),
        cycleOwnership: (any CycleOwnership)? = nil
    ) throws {
        dir = NSTemporaryDirectory() + "policyd-etcd-store-" + UUID().uuidString
        client = try EtcdClient(endpoints, callTimeout: timeout)
        store = try EtcdPolicyStore(client: client, prefix: prefix, peerDirectory: dir)
        let logger = Logger(label: "replica") { _ in SwiftLogNoOpLogHandler() }
        let events = events
        service = PolicyService(
            store: store, environment: RunnerEnvironment(logger: logger, outlet: { e in events.withLock { $0.append(e) } }),
            cycleOwnership: cycleOwnership)
        let loaded = self.loaded
        follower = EtcdStoreFollower(store: store, service: service, logger: logger) { loaded.withLock { $0 = true } }
        follower.start()
    }

    var isLoaded: Bool { loaded.withLock { $0 } }

    /// Stops following and everything else; removes the directory.
    func close() async {
        await follower.stop()
        service.shutdown()
        client.close()
        try? FileManager.default.removeItem(atPath: dir)
    }
}

/// Runs blocking service work (writes wait on etcd) on a thread of its own, never on the
/// concurrency pool.
func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}

/// Polls `condition` every 20 ms until it holds or `timeout` passes.
func eventually(timeout: Duration = .seconds(15), _ condition: () -> Bool) async -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while clock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return condition()
}

/// A small valid policy: `port == <port>` allows connects.
func allowPortPolicy(_ port: Int) -> [UInt8] {
    Array(
        """
        {"version": 1, "default_verdict": "deny", "rules": [
          {"name": "port-\(port)", "on": "connect", "match": "port == \(port)", "actions": [{"type": "allow"}]}
        ]}
        """.utf8)
}

/// The stored document must have ETag `etag`, as an If-Match of one strong tag states it.
func storedETag(is etag: String) -> ExpectedDocument {
    .checked { stored in stored == etag ? nil : "stored policy has ETag \(stored ?? "none"), not \(etag)" }
}

/// Nothing may be stored, as `If-None-Match: *` states it.
let nothingStored = ExpectedDocument.checked { stored in stored == nil ? nil : "a policy is already stored" }
