/// What a bearer token may do.
public enum Role: String, Sendable, CaseIterable {
    /// Everything.
    case admin
    /// GET endpoints and gate decisions.
    case reader
}
