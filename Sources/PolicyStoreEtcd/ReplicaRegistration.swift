import EtcdClient
import Locking
public import Logging
public import PolicyService

/// Keeps this replica registered under `<prefix>replicas/<id>`, attached to a lease: the key
/// disappears on its own when the process dies (the lease expires after `ttl` seconds without
/// keep-alive) and at once on a graceful stop (the lease is revoked).
///
/// Every 500 ms the record is taken again and written only when it changed (runners' ETags,
/// ready, degraded, the revision of the last policy change): never on the mere passing of
/// revisions, which every replica's write moves. A lease found expired (etcd was away past the
/// TTL, or came back wiped) is replaced by a new one and the record written again.
public final class ReplicaRegistration: Sendable {
    let store: EtcdPolicyStore
    let ttl: Int64
    let logger: Logger
    let record: @Sendable () -> ReplicaRecord
    private let task = BackgroundTask()
    private let lease = Locked<Int64>(0)

    /// - Parameter record: this replica as it should be seen now (called every 500 ms).
    public init(store: EtcdPolicyStore, ttl: Int, logger: Logger, record: @escaping @Sendable () -> ReplicaRecord) {
        self.store = store
        self.ttl = Int64(ttl)
        self.logger = logger
        self.record = record
    }

    func key(_ id: String) -> [UInt8] { store.replicasPrefix + Array(id.utf8) }

    /// Starts registering (once).
    public func start() {
        task.start { await self.run() }
    }

    /// Stops keeping the lease alive and revokes it, so the replica leaves the cluster view at once.
    public func stop() async {
        guard await task.stop() else { return }
        let id = lease.withLock { $0 }
        guard id != 0 else { return }
        do throws(EtcdError) {
            try await store.client.revokeLease(id)
            logger.info("replica unregistered", metadata: ["lease": "\(id)"])
        } catch {
            logger.warning("cannot revoke the registration lease; it expires on its own", metadata: ["error": "\(error)"])
        }
    }

    private func run() async {
        let clock = ContinuousClock()
        let keepAliveEvery = Duration.milliseconds(max(500, Int(ttl) * 1000 / 3))
        var lease: Int64 = 0
        var written: (key: [UInt8], value: [UInt8])?
        var lastKeepAlive = clock.now
        var failing = false
        while !Task.isCancelled {
            do throws(EtcdError) {
                if lease == 0 {
                    lease = try await store.client.grantLease(ttl: ttl).id
                    self.lease.withLock { $0 = lease }
                    written = nil
                    lastKeepAlive = clock.now
                }
                let now = record()
                let value = (key(now.id), now.json)
                if written?.key != value.0 || written?.value != value.1 {
                    if let old = written?.key, old != value.0 { _ = try await store.client.delete(old) }
                    _ = try await store.client.put(value.0, value.1, lease: lease)
                    if written == nil { logger.info("replica registered", metadata: ["id": "\(now.id)", "lease": "\(lease)"]) }
                    written = value
                }
                if clock.now - lastKeepAlive >= keepAliveEvery {
                    if try await store.client.keepAlive(lease) <= 0 { throw EtcdError.rejected("lease expired") }
                    lastKeepAlive = clock.now
                }
                if failing {
                    failing = false
                    logger.info("replica registration restored", metadata: ["lease": "\(lease)"])
                }
            } catch {
                if Task.isCancelled { break }
                if case .rejected = error {
                    // The lease is gone (expired while etcd was away, or etcd was wiped): a new one next round.
                    logger.warning("registration lease lost; registering again", metadata: ["lease": "\(lease)", "error": "\(error)"])
                    lease = 0
                } else if !failing {
                    logger.warning("cannot keep the replica registered; retrying", metadata: ["error": "\(error)"])
                }
                failing = true
            }
            try? await Task.sleep(for: .milliseconds(500))
        }
    }
}
