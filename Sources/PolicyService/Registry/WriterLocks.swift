import Locking

/// One writer lock per network: replacements, removals, reloads and membership updates
/// of a network run one at a time, end to end (persist and swap together); different
/// networks never block each other. Lookups never take these.
final class WriterLocks: Sendable {
    /// Each lock's value counts the writes made under it (a zero-sized value would put its
    /// address past the end of the object, which the thread sanitizer reports as a race).
    private let locks = Locked([Int: Locked<Int>]())

    func withLock<T, E: Error>(_ networkID: Int, _ body: () throws(E) -> T) throws(E) -> T {
        let lock = locks.withLock { all in
            if let lock = all[networkID] { return lock }
            let lock = Locked(0)
            all[networkID] = lock
            return lock
        }
        return try lock.withLock { writes throws(E) -> T in
            writes += 1
            return try body()
        }
    }
}
