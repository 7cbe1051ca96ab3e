/// The events a rule can be written for (`on` in a rule).
public enum EventKind: String, Sendable, CaseIterable, Hashable {
    case connect, dial, datagram, cycle, join, leave

    /// Gate events produce a verdict; the others are action events.
    public var isGate: Bool {
        switch self {
        case .connect, .dial, .datagram: true
        case .cycle, .join, .leave: false
        }
    }
}
