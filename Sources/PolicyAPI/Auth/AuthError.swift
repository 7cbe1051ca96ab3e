/// Why a `/v1` request was refused by token authentication.
enum AuthError: Error, Sendable {
    /// No `Authorization: Bearer` header.
    case missing
    /// A bearer token that is not in the tokens file (or a malformed header).
    case invalid
    /// A valid token whose role may not call the route.
    case forbidden(Role)
}
