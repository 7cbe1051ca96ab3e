import Glibc

/// A value behind a pthread mutex, reached only inside `withLock`.
///
/// Not `Synchronization.Mutex`: on Linux that is built on raw futex calls, which the
/// thread sanitizer cannot see, so `make test`'s TSan pass over this target reported
/// every access under it as a race. A pthread mutex is understood by TSan and costs
/// the same uncontended.
final class Locked<Value>: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var value: Value

    init(_ value: Value) {
        self.value = value
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deinitialize(count: 1)
        mutex.deallocate()
    }

    /// Runs `body` with the lock held; keep it short and free of I/O (writer locks excepted).
    func withLock<T, E: Error>(_ body: (inout Value) throws(E) -> T) throws(E) -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
