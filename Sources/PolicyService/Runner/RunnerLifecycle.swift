/// The runner lifecycle as a value: created -> running -> stopped, nothing else.
///
/// Start after stop and stop before start are no-ops; both are idempotent. The runner
/// keeps one of these behind its lock and acts on the transition each call reports.
public struct RunnerLifecycle: Sendable, Equatable {
    public enum State: String, Sendable, Equatable {
        case created, running, stopped
    }

    private(set) var state: State = .created

    init() {}

    /// Moves created -> running; true when that transition happened now.
    mutating func start() -> Bool {
        guard state == .created else { return false }
        state = .running
        return true
    }

    /// Moves running -> stopped; true when that transition happened now.
    /// Stop before start is a no-op: the runner stays `created` and may still start.
    mutating func stop() -> Bool {
        switch state {
        case .running:
            state = .stopped
            return true
        case .created, .stopped:
            return false
        }
    }

    var isRunning: Bool { state == .running }
}
