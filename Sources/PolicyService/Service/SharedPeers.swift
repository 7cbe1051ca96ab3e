import Logging

/// Peer tables shared through the store (etcd): membership updates and cycles are computed
/// on a copy of the table as the store holds it, committed with a compare on its revision
/// (computed again from the newer table after a conflict, at most `attempts` times), then
/// installed in the runner (read-your-writes) and only then their log and webhook
/// directives fire. Cycle timers run only on the cycle owner and commit only within its term.
final class SharedPeers: Sendable {
    /// Commits tried per change before giving up with a conflict.
    static let attempts = 10

    let store: any SharedPeerStore
    let ownership: (any CycleOwnership)?
    let writers: WriterLocks
    let logger: Logger

    init(store: any SharedPeerStore, ownership: (any CycleOwnership)?, writers: WriterLocks, logger: Logger) {
        self.store = store
        self.ownership = ownership
        self.writers = writers
        self.logger = logger
    }

    /// The network's table as this replica knows it, decoded (an unreadable one is empty).
    func knownTable(_ networkID: Int) -> PeerTable {
        decode(store.knownPeerTable(networkID), networkID)
    }

    /// Computes `change` on a copy of the runner's table as the store holds it and commits
    /// the copy; returns the change's result once committed and installed. Call with the
    /// network's writer lock held.
    func commit<T>(_ runner: Runner, fence: Int64?, _ change: (ActionScope) -> T) throws(ServiceError) -> T {
        var known = store.knownPeerTable(runner.networkID)
        for _ in 0..<Self.attempts {
            let scratch = decode(known, runner.networkID)
            let effects = DeferredEffects()
            let result = change(ActionScope(table: scratch, effects: effects))
            let outcome: PeerCommit
            // A deleted table's key does not exist: its mod_revision compares as 0.
            let expected = known.bytes == nil ? 0 : known.revision
            do throws(StoreError) {
                outcome = try store.commitPeerTable(scratch.encoded().bytes, for: runner.networkID, expecting: expected, fence: fence)
            } catch {
                throw .storage(error)
            }
            switch outcome {
            case .committed(let revision):
                runner.peers.adopt(scratch, revision: revision)
                runner.fire(effects)
                return result
            case .conflict(let current):
                known = current
            case .noPolicy:
                throw .notFound("no policy stored for network \(runner.networkID)")
            case .fenced:
                throw .conflict("this replica no longer owns the cycles of network \(runner.networkID)")
            }
        }
        throw .conflict(
            "the peer table of network \(runner.networkID) changed \(Self.attempts) times while this change was computed; send it again")
    }

    /// A cycle on the shared table (cycle number: the table's + 1); nil when the runner stopped.
    func cycle(_ runner: Runner, fence: Int64?) throws(ServiceError) -> CycleResult? {
        try writers.withLock(runner.networkID) { () throws(ServiceError) -> CycleResult? in
            try runner.whileRunning { () throws(ServiceError) -> CycleResult in
                try commit(runner, fence: fence) { scope in
                    let number = scope.table.withState { s in
                        s.cycleNum += 1
                        return s.cycleNum
                    }
                    return runner.cycle(number: number, in: scope)
                }
            }
        }
    }

    /// A runner's cycle timer fired (on its cycle queue): a cycle when this replica owns the
    /// cycles now, else nothing.
    func timerFired(_ runner: Runner) {
        var fence: Int64?
        if let ownership {
            guard let term = ownership.term else { return }
            fence = term
        }
        do throws(ServiceError) {
            _ = try cycle(runner, fence: fence)
        } catch {
            logger.warning("cycle not committed", metadata: ["network": "\(runner.networkID)", "error": "\(error)"])
        }
    }

    private func decode(_ table: SharedPeerTable, _ networkID: Int) -> PeerTable {
        guard let bytes = table.bytes else { return empty(table.revision) }
        guard let decoded = PeerTable.decode(bytes, revision: table.revision) else {
            logger.warning("unreadable peer table in the store: starting from an empty one", metadata: ["network": "\(networkID)"])
            return empty(table.revision)
        }
        return decoded
    }

    private func empty(_ revision: Int64) -> PeerTable {
        let table = PeerTable()
        table.withState { $0.storeRevision = revision }
        return table
    }
}
