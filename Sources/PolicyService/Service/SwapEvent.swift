/// Steps of a replacement, reported in order to the service's observer (tests use it to
/// check that an old runner stops only after its successor is registered).
public enum SwapEvent: Sendable, Equatable {
    /// A runner was started and registered for the network.
    case registered(networkID: Int, generation: Int)
    /// A runner was stopped after being replaced or removed.
    case stopped(networkID: Int, generation: Int)
}

/// What one replacement did, for logs and metrics.
struct SwapReport: Sendable {
    var networkID: Int
    var oldGeneration: Int?
    var newGeneration: Int
    /// From taking the network's writer lock to the old runner's stop returning.
    var duration: Duration
}
