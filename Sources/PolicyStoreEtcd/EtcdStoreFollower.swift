import Dispatch
import EtcdClient
import Locking
public import Logging
public import PolicyService

/// Keeps a replica's runners following etcd with list-then-watch: read the whole prefix,
/// make the runners agree, then watch from the read's revision + 1 and apply every event
/// in order. The cursor only moves forward; a broken stream resumes from it. Compaction, a
/// revision going backwards or another cluster id mean a full read again (diffed against
/// the running runners: an unchanged document costs nothing). Reconnects with jittered
/// exponential backoff. While etcd is away, the runners keep serving what they have.
public final class EtcdStoreFollower: Sendable {
    let store: EtcdPolicyStore
    let service: PolicyService
    let logger: Logger
    let onFirstLoad: @Sendable () -> Void
    /// The service's swaps run here, off the Swift concurrency pool (they take writer locks).
    private let queue = DispatchQueue(label: "policyd.etcd.follower")
    private let task = BackgroundTask()

    /// - Parameter onFirstLoad: called once, after the first full read is applied (the replica is ready).
    public init(store: EtcdPolicyStore, service: PolicyService, logger: Logger, onFirstLoad: @escaping @Sendable () -> Void = {}) {
        self.store = store
        self.service = service
        self.logger = logger
        self.onFirstLoad = onFirstLoad
    }

    /// Starts following (once).
    public func start() {
        task.start { await self.run() }
    }

    /// Stops following; the runners stay as they are. Returns once the follower stopped.
    public func stop() async {
        guard await task.stop() else { return }
    }

    private func run() async {
        var backoff = Backoff()
        // A follower started again over a store it already filled resumes from its cursor.
        let applied = store.mirror.withLock { $0.appliedRevision }
        var needsList = applied == 0
        var firstLoad = applied == 0
        var cursor: Int64 = applied + 1
        while !Task.isCancelled {
            do throws(EtcdError) {
                if needsList {
                    cursor = try await list(first: firstLoad) + 1
                    needsList = false
                    if firstLoad {
                        firstLoad = false
                        onFirstLoad()
                    }
                }
                try await watch(from: &cursor, backoff: &backoff)
                needsList = true  // the watch found another cluster or a revision going backwards
            } catch {
                if Task.isCancelled { break }
                // A watch that was in place and broke counts as a restart (not every failed retry).
                let wasConnected = store.mirror.withLock { m in
                    let was = m.connected
                    m.connected = false
                    if was { m.watchRestarts += 1 }
                    return was
                }
                if case .compacted(let oldest) = error {
                    logger.warning("etcd history compacted past the watch: reading everything again", metadata: ["oldest": "\(oldest)"])
                    needsList = true
                    continue
                }
                if wasConnected || firstLoad {
                    logger.warning("etcd unavailable, runners keep serving; retrying", metadata: ["error": "\(error)"])
                }
                let delay = backoff.next()
                try? await Task.sleep(for: delay)
            }
        }
    }

    /// Reads every document (and peer table) and makes the runners agree; the read's revision.
    private func list(first: Bool) async throws(EtcdError) -> Int64 {
        let range = try await store.client.rangePrefix(store.policiesPrefix)
        let tables = try await listPeers(at: range.header.revision)
        var documents: [Int: EtcdKeyValue] = [:]
        for kv in range.kvs {
            if let id = store.networkID(ofKey: kv.key) { documents[id] = kv }
        }
        let (changed, changedPeers, reset, refused) = store.mirror.withLock { m in
            // Another cluster, or one restored from an older backup: its revisions say nothing about ours.
            let reset = m.clusterID != 0 && m.isOtherStore(range.header)
            if !first { m.resyncs += 1 }
            if !first, let refused = m.refuseWipedStore(documents, header: range.header) {
                // A wiped store's (missing) peer tables are not taken either.
                return (refused.changed, [Int](), reset, refused.reason as String?)
            }
            let peers = m.replacePeers(with: tables, header: range.header, reset: reset)
            return (m.replace(with: documents, header: range.header, reset: reset, keepMissing: m.degraded != nil), peers, reset, nil)
        }
        if let refused { logWipedStore(refused, header: range.header) }
        if first {
            let results = await onQueue { self.service.loadStored() }
            count(results)
        } else {
            let results = await onQueue { self.service.sync(changed) }
            count(results)
            logger.info("resynced from etcd", metadata: ["revision": "\(range.header.revision)", "changed": "\(changed.count)"])
        }
        // Runners that were already running take their tables as read (new ones read them when installed).
        if !changedPeers.isEmpty { await onQueue { self.service.peerTablesChanged(changedPeers) } }
        store.markApplied(range.header.revision, reset: reset)
        return range.header.revision
    }

    /// Every peer table as of `revision` (the documents' read), by network.
    private func listPeers(at revision: Int64) async throws(EtcdError) -> [Int: EtcdKeyValue] {
        let prefix = store.peersPrefix
        let range = try await store.client.range(key: prefix, end: etcdPrefixEnd(prefix), revision: revision)
        var tables: [Int: EtcdKeyValue] = [:]
        for kv in range.kvs {
            if let id = store.networkID(ofPeersKey: kv.key) { tables[id] = kv }
        }
        return tables
    }

    /// Records the peer table events of a watch batch in the mirror; the networks whose table changed.
    private func recordPeerEvents(_ events: [EtcdEvent]) -> [Int] {
        store.mirror.withLock { m in
            var ids: Set<Int> = []
            for event in events {
                guard let id = store.networkID(ofPeersKey: event.kv.key) else { continue }
                let bytes = event.kind == .put ? event.kv.value : nil
                if m.advancePeers(id, bytes: bytes, revision: event.kv.modRevision) { ids.insert(id) }
            }
            return ids.sorted()
        }
    }

    /// Applies watch batches until the stream ends (throws) or shows another cluster or an
    /// older revision (returns: a full read is due). The watch covers the whole prefix:
    /// documents and peer tables (other keys under it are skipped).
    private func watch(from cursor: inout Int64, backoff: inout Backoff) async throws(EtcdError) {
        let stream = store.client.watch(prefix: Array(store.prefix.utf8), from: cursor)
        do {
            for try await batch in stream {
                backoff.reset()
                // Its own writes count: a wipe can come before the watch brought them.
                if store.mirror.withLock({ $0.isOtherStore(batch.header) }) {
                    logger.warning(
                        "etcd is another cluster or went back in time: reading everything again",
                        metadata: ["cluster": "\(batch.header.clusterID)", "revision": "\(batch.header.revision)"])
                    return
                }
                if batch.created {
                    store.mirror.withLock { $0.connected = true }  // etcd answered: the watch is in place
                    continue
                }
                guard let last = batch.events.last else {
                    // Progress: every event up to the header's revision was delivered.
                    cursor = max(cursor, batch.header.revision + 1)
                    store.markApplied(cursor - 1)
                    continue
                }
                let changedPeers = recordPeerEvents(batch.events)
                let changed = store.mirror.withLock { m in
                    var ids: Set<Int> = []
                    for event in batch.events {
                        guard let id = store.networkID(ofKey: event.kv.key) else { continue }
                        let bytes = event.kind == .put ? event.kv.value : nil
                        if m.advance(id, bytes: bytes, revision: event.kv.modRevision) { ids.insert(id) }
                    }
                    return ids.sorted()
                }
                if !changed.isEmpty {
                    let results = await onQueue { self.service.sync(changed) }
                    count(results)
                }
                if !changedPeers.isEmpty { await onQueue { self.service.peerTablesChanged(changedPeers) } }
                cursor = max(cursor, last.kv.modRevision + 1)
                store.markApplied(cursor - 1)
            }
        } catch let error as EtcdError {
            throw error
        } catch {
            throw .unavailable("\(error)")
        }
        throw .unavailable("the watch ended")
    }

    private func count(_ results: [ReloadResult]) {
        let failed = results.filter { $0.action == .failed }.count
        if failed > 0 { store.mirror.withLock { $0.rejectedDocuments += failed } }
    }

    private func onQueue<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: body()) }
        }
    }
}

/// Jittered exponential backoff: 100 ms doubling to 5 s, each delay drawn from its upper half.
struct Backoff {
    var next_ = 0.1

    mutating func next() -> Duration {
        let delay = Double.random(in: next_ / 2...next_)
        next_ = min(next_ * 2, 5)
        return .milliseconds(Int(delay * 1000))
    }

    mutating func reset() { next_ = 0.1 }
}
