import Dispatch
import EtcdClient
import Locking
import PolicyService

/// Runs an async etcd call from a plain thread and waits for it: the bridge from the
/// thread-based service (libmicrohttpd worker threads, which may block) to the async
/// client. Never call it from a Swift concurrency task: it blocks its thread.
/// Bounded: the call has its own deadline, and the wait gives up a second after it.
func blocking<T: Sendable>(
    timeout: Duration, _ operation: @escaping @Sendable () async throws(EtcdError) -> T
) throws(StoreError) -> T {
    let outcome = Locked<Result<T, EtcdError>?>(nil)
    let done = DispatchSemaphore(value: 0)
    Task {
        let result: Result<T, EtcdError>
        do throws(EtcdError) {
            result = .success(try await operation())
        } catch {
            result = .failure(error)
        }
        outcome.withLock { $0 = result }
        done.signal()
    }
    let (seconds, attoseconds) = (timeout + .seconds(1)).components
    let wait = DispatchTimeInterval.nanoseconds(Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000))
    guard done.wait(timeout: .now() + wait) == .success, let result = outcome.withLock({ $0 }) else {
        throw StoreError("etcd did not answer within \(timeout)", kind: .unavailable)
    }
    switch result {
    case .success(let value): return value
    case .failure(let error): throw StoreError(error)
    }
}

extension StoreError {
    /// etcd's failures as the store's: unreachable is `unavailable`, anything else `io`.
    init(_ error: EtcdError) {
        switch error {
        case .unavailable, .indeterminate, .closed: self.init(error.description, kind: .unavailable)
        default: self.init(error.description, kind: .io)
        }
    }
}
