extension APIError {
    /// The mapping of authentication failures to HTTP: 401 with a Bearer challenge, or 403.
    init(_ error: AuthError) {
        switch error {
        case .missing:
            self = APIError(status: 401, code: "unauthorized", message: "this endpoint needs an Authorization: Bearer token")
            headers = [("WWW-Authenticate", #"Bearer realm="policyd""#)]
        case .invalid:
            self = APIError(status: 401, code: "unauthorized", message: "the bearer token is not valid")
            headers = [("WWW-Authenticate", #"Bearer realm="policyd", error="invalid_token""#)]
        case .forbidden(let role):
            self = APIError(status: 403, code: "forbidden", message: "a \(role.rawValue) token may not call this endpoint")
        }
    }
}
