import MicroHTTP

extension PolicyAPI {
    /// Paths that need a token when tokens are configured: everything under `/v1`.
    static func isProtected(_ path: String) -> Bool {
        path == "/v1" || path.hasPrefix("/v1/")
    }

    /// The caller's role from `Authorization: Bearer <token>`; nil when authentication is off.
    func authenticate(_ request: HTTPRequest) throws(AuthError) -> Role? {
        guard let tokens else { return nil }
        guard let header = request.header("Authorization") else { throw .missing }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { throw .invalid }
        guard let role = tokens.role(of: parts[1].trimmingSpaces) else { throw .invalid }
        return role
    }

    /// Throws unless `role` (nil: authentication off) may call a route of `access`.
    static func authorize(_ role: Role?, for access: RouteAccess) throws(AuthError) {
        guard let role else { return }
        guard access.allows(role) else { throw .forbidden(role) }
    }
}
