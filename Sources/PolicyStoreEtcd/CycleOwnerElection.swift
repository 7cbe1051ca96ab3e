public import EtcdClient
import Locking
public import Logging
public import PolicyService

/// One replica runs the cycle timers of every network: the one holding `<prefix>cycle-owner`,
/// etcd's election pattern. Each replica keeps a lease alive and, every `pollInterval`, tries
/// a put-if-absent of the key (value: its replica id) attached to that lease; the winner's
/// term is the key's revision. When the owner dies its lease runs out, etcd deletes the key
/// and the next try of another replica takes it.
///
/// Fencing: the owner counts its lease from the moment it sent the keep-alive (or grant) that
/// etcd answered, and stops using its term `margin` before that lease can have run out in
/// etcd, so its timers are idle before anyone else can own the cycles; a cycle committed on
/// a term also compares the key's revision with the term, so a replica that was frozen past
/// its lease cannot commit one when it wakes.
public final class CycleOwnerElection: CycleOwnership, Sendable {
    let client: EtcdClient
    let key: [UInt8]
    /// Seconds the lease lives without keep-alives.
    public let ttl: Int64
    let logger: Logger
    let pollInterval: Duration
    /// How long before the lease's local deadline the term stops being used.
    let margin: Duration
    private let state = Locked(State())
    private let task = BackgroundTask()

    struct State {
        var replicaID = ""
        var lease: Int64 = 0
        /// Local deadline of the term's use: keep-alive send time + TTL - margin.
        var validUntil: ContinuousClock.Instant?
        var term: Int64?
        var owner: String?
    }

    /// - Parameters:
    ///   - key: `<prefix>cycle-owner` (`EtcdPolicyStore.cycleOwnerKey`).
    ///   - ttl: the lease's TTL in seconds (`--lease-ttl`).
    public init(client: EtcdClient, key: [UInt8], ttl: Int64, logger: Logger, pollInterval: Duration = .milliseconds(250)) {
        self.client = client
        self.key = key
        self.ttl = ttl
        self.logger = logger
        self.pollInterval = pollInterval
        margin = max(.milliseconds(500), .seconds(ttl) / 10)
    }

    public var term: Int64? {
        let now = ContinuousClock.now
        return state.withLock { s in
            guard let term = s.term, let until = s.validUntil, now < until else { return nil }
            return term
        }
    }

    public var owner: String? { state.withLock { $0.owner } }

    /// Starts campaigning as `replicaID` (once).
    public func start(replicaID: String) {
        state.withLock { $0.replicaID = replicaID }
        task.start { await self.run() }
    }

    /// Stops campaigning and gives the cycles up: the lease is revoked, so another replica
    /// takes over at its next try instead of after the TTL.
    public func stop() async {
        guard await task.stop() else { return }
        let lease = state.withLock { s in
            defer {
                s.term = nil
                s.lease = 0
            }
            return s.lease
        }
        guard lease != 0 else { return }
        let client = client
        do throws(EtcdError) {
            try await client.revokeLease(lease)
            logger.info("cycle ownership given up", metadata: ["lease": "\(lease)"])
        } catch {
            logger.warning("could not revoke the cycle owner lease", metadata: ["error": "\(error)"])
        }
    }

    private func run() async {
        let clock = ContinuousClock()
        var nextKeepAlive = clock.now
        var failing = false
        while !Task.isCancelled {
            do throws(EtcdError) {
                try await renew(&nextKeepAlive)
                try await campaign()
                if failing { logger.info("cycle owner election: etcd answers again") }
                failing = false
            } catch {
                if !failing { logger.warning("cycle owner election: etcd unavailable", metadata: ["error": "\(error)"]) }
                failing = true
            }
            try? await Task.sleep(for: pollInterval)
        }
    }

    /// Grants a lease when there is none (or it expired), else keeps it alive every TTL / 3.
    private func renew(_ nextKeepAlive: inout ContinuousClock.Instant) async throws(EtcdError) {
        let clock = ContinuousClock()
        let lease = state.withLock { $0.lease }
        let sent = clock.now
        if lease == 0 {
            let granted = try await client.grantLease(ttl: ttl)
            state.withLock { s in
                s.lease = granted.id
                s.validUntil = sent + .seconds(granted.ttl) - margin
            }
        } else if sent >= nextKeepAlive {
            let left = try await client.keepAlive(lease)
            guard left > 0 else {
                lose("the lease expired")
                state.withLock { $0.lease = 0 }
                nextKeepAlive = sent
                return
            }
            state.withLock { $0.validUntil = sent + .seconds(left) - margin }
        } else {
            return
        }
        nextKeepAlive = sent + .seconds(ttl) / 3
    }

    /// Takes the key if nobody holds it; otherwise learns who does (this replica, still).
    private func campaign() async throws(EtcdError) {
        let (replicaID, lease) = state.withLock { ($0.replicaID, $0.lease) }
        guard lease != 0 else { return }
        let key = key
        let result = try await client.txn(
            [EtcdCompare(key: key, .version(0))], success: [.put(key: key, value: Array(replicaID.utf8), lease: lease)],
            failure: [.get(key: key)])
        if result.succeeded {
            win(term: result.header.revision, replicaID)
            return
        }
        guard case .get(let kvs)? = result.results.first, let holder = kvs.first else { return }
        if holder.lease == lease {
            win(term: holder.modRevision, replicaID)
        } else {
            lose("another replica owns the cycles", owner: String(decoding: holder.value, as: UTF8.self))
        }
    }

    private func win(term: Int64, _ replicaID: String) {
        let new = state.withLock { s in
            defer {
                s.term = term
                s.owner = replicaID
            }
            return s.term != term
        }
        if new { logger.info("this replica owns the cycles", metadata: ["replica": "\(replicaID)", "term": "\(term)"]) }
    }

    private func lose(_ reason: String, owner: String? = nil) {
        let had = state.withLock { s in
            defer {
                s.term = nil
                if let owner { s.owner = owner }
            }
            return s.term
        }
        if let had {
            logger.warning("lost the cycles", metadata: ["reason": "\(reason)", "term": "\(had)", "owner": "\(owner ?? "none")"])
        }
    }
}
