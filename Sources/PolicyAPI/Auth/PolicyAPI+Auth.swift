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
        // "Bearer" in any case, white space, the token: read in place (every /v1 request).
        let value = Substring(header).trimmingSpaces
        let scheme = value.utf8.prefix(6)
        guard scheme.elementsEqual("bearer".utf8, by: { $0 | 0x20 == $1 }) else { throw .invalid }
        let rest = value.dropFirst(6)
        guard rest.first == " " || rest.first == "\t" else { throw .invalid }
        let token = rest.trimmingSpaces
        guard !token.isEmpty, let role = tokens.role(of: token) else { throw .invalid }
        return role
    }

    /// Throws unless `role` (nil: authentication off) may call a route of `access`.
    static func authorize(_ role: Role?, for access: RouteAccess) throws(AuthError) {
        guard let role else { return }
        guard access.allows(role) else { throw .forbidden(role) }
    }
}
