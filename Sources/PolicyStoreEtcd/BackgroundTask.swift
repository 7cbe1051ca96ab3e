import Locking

/// The one long-running task of an object that follows or keeps something in etcd: started
/// at most once, stopped by cancelling it and waiting until it returned.
final class BackgroundTask: Sendable {
    private let task = Locked<Task<Void, Never>?>(nil)

    /// Starts `body` unless a task was started already.
    func start(_ body: @escaping @Sendable () async -> Void) {
        task.withLock { t in
            guard t == nil else { return }
            t = Task { await body() }
        }
    }

    /// Cancels the task and returns once it has; false when none was started.
    @discardableResult
    func stop() async -> Bool {
        guard let running = task.withLock({ $0 }) else { return false }
        running.cancel()
        await running.value
        return true
    }
}
