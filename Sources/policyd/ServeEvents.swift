import UnixSignals

/// What `serve` reacts to once ready: the signals it traps, and the end of the shutdown delay,
/// as one sequence (so that a second SIGTERM can cut the delay short).
final class ServeEvents: Sendable {
    enum Event: Sendable {
        case signal(UnixSignal)
        case shutdownDelayElapsed
    }

    let events: AsyncStream<Event>
    private let continuation: AsyncStream<Event>.Continuation

    init(signals: UnixSignalsSequence) {
        (events, continuation) = AsyncStream.makeStream()
        Task { [continuation] in
            for await signal in signals { continuation.yield(.signal(signal)) }
        }
    }

    /// Delivers `.shutdownDelayElapsed` after `delay`.
    func shutdownDelay(_ delay: Duration) {
        Task { [continuation] in
            try? await Task.sleep(for: delay)
            continuation.yield(.shutdownDelayElapsed)
        }
    }
}
