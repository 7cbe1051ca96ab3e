public import Glibc

/// A value behind a pthread mutex, reached only inside `withLock`; one lock type for every
/// target (the service, the etcd client and the etcd store).
///
/// Not `Synchronization.Mutex`: on Linux that is built on raw futex calls, which the
/// thread sanitizer cannot see, so `make test`'s TSan pass reported every access under it
/// as a race. A pthread mutex is understood by TSan and costs the same uncontended.
/// Inlinable: decisions and status reads take these locks, and a call across the module
/// boundary would not be specialised.
public final class Locked<Value>: @unchecked Sendable {
    @usableFromInline let mutex: UnsafeMutablePointer<pthread_mutex_t>
    @usableFromInline @exclusivity(unchecked) var value: Value

    @inlinable public init(_ value: Value) {
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

    /// Runs `body` with the lock held; keep it short, free of I/O (writer locks excepted)
    /// and of awaits.
    @inlinable public func withLock<T, E: Error>(_ body: (inout Value) throws(E) -> T) throws(E) -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
