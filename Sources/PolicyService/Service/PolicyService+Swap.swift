import Locking
import Logging
import PolicyLanguage
import Synchronization

extension PolicyService {
    /// Steps 3 and 4 of the swap, for a compiled and already persisted document: under
    /// the registry lock the new runner (sharing the old one's peer table) is created,
    /// started and registered; the old one is returned for the caller to stop once it
    /// holds no lock. Call with the network's writer lock held.
    func install(_ networkID: Int, policy: CompiledPolicy, etag: String, revision: Int64?) -> (new: Runner, old: Runner?) {
        let restored = registry.runner(for: networkID) == nil ? restoredPeers(networkID) : nil
        let (new, old) = registry.install(networkID) { generation, previous in
            Runner(
                networkID: networkID, generation: generation, policy: policy, etag: etag,
                peers: previous?.peers ?? restored ?? PeerTable(), environment: environment, revision: revision)
        }
        swaps.add(1, ordering: .relaxed)
        observer(.registered(networkID: networkID, generation: new.generation))
        return (new, old)
    }

    /// Step 4's second half: stops a replaced or removed runner, outside every lock.
    func retire(_ old: Runner?) {
        guard let old else { return }
        old.stop()
        // After the stop: its counts are final but for a decision that found it before the swap
        // and is still being answered (a few microseconds), which the totals then miss.
        let counts = old.decisionCounts
        retiredDecisions.withLock { $0 += counts }
        observer(.stopped(networkID: old.networkID, generation: old.generation))
    }

    /// The peer table saved for a network by an earlier process, if any; with a shared store,
    /// the table as this replica last saw it there.
    private func restoredPeers(_ networkID: Int) -> PeerTable? {
        if let shared { return shared.knownTable(networkID) }
        guard let bytes = try? store.peerTable(networkID) else { return nil }
        guard let table = PeerTable.decode(bytes) else {
            logger.warning("ignoring unreadable peer table", metadata: ["network": "\(networkID)"])
            return nil
        }
        return table
    }

    func logSwap(_ report: SwapReport, reason: String) {
        logger.info(
            "runner swapped",
            metadata: [
                "network": "\(report.networkID)",
                "old_generation": "\(report.oldGeneration.map(String.init) ?? "none")",
                "new_generation": "\(report.newGeneration)",
                "duration_us":
                    "\(report.duration.components.attoseconds / 1_000_000_000_000 + report.duration.components.seconds * 1_000_000)",
                "reason": "\(reason)",
            ])
    }
}
