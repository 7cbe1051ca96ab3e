import Locking
import Logging

/// Writes peer tables to the store when they changed since their last write; best
/// effort: a failure is logged, never fatal.
final class PeerPersister: Sendable {
    let store: any PolicyStore
    let logger: Logger
    private let written = Locked([Int: Int]())

    init(store: any PolicyStore, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    func persist(_ networkID: Int, _ table: PeerTable) {
        // A table never written counts as version 0: a new or restored table that has not
        // changed needs no write (shutdown with 10 000 networks would otherwise fsync 10 000 files).
        guard written.withLock({ $0[networkID] ?? 0 }) != table.version else { return }
        let (bytes, version) = table.encoded()
        do {
            try store.savePeerTable(bytes, for: networkID)
            written.withLock { $0[networkID] = version }
        } catch {
            logger.warning("could not save peer table", metadata: ["network": "\(networkID)", "error": "\(error)"])
        }
    }

    func forget(_ networkID: Int) {
        written.withLock { _ = $0.removeValue(forKey: networkID) }
    }
}
