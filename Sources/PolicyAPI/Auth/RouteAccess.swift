/// Who may call a route when tokens are configured.
enum RouteAccess: Sendable {
    /// No token needed (health, readiness, metrics).
    case open
    /// Any valid token: reads and decisions.
    case read
    /// An admin token: everything that changes state.
    case admin

    func allows(_ role: Role) -> Bool {
        switch self {
        case .open, .read: true
        case .admin: role == .admin
        }
    }
}
