import Synchronization

/// One writer lock per network: replacements, removals, reloads and membership updates
/// of a network run one at a time, end to end (persist and swap together); different
/// networks never block each other. Lookups never take these.
final class WriterLocks: Sendable {
    private final class Lock: Sendable {
        let mutex = Mutex(())
    }

    private let locks = Mutex([Int: Lock]())

    func withLock<T, E: Error>(_ networkID: Int, _ body: () throws(E) -> T) throws(E) -> T {
        let lock = locks.withLock { all in
            if let lock = all[networkID] { return lock }
            let lock = Lock()
            all[networkID] = lock
            return lock
        }
        return try lock.mutex.withLock { _ throws(E) -> T in try body() }
    }
}
