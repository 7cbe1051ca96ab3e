public import PolicyLanguage

/// The one error type of the HTTP layer: a status, a snake_case code, a message for
/// people and, for policy errors, one detail per problem. Mapped to a response in
/// `APIError+Response.swift` and nowhere else.
public struct APIError: Error, Sendable {
    public var status: Int
    public var code: String
    public var message: String
    public var details: [PolicyProblem] = []
    /// Extra response headers (`Allow` on 405).
    public var headers: [(name: String, value: String)] = []

    public init(status: Int, code: String, message: String, details: [PolicyProblem] = []) {
        self.status = status
        self.code = code
        self.message = message
        self.details = details
    }

    public static func badRequest(_ message: String) -> APIError {
        APIError(status: 400, code: "bad_request", message: message)
    }

    public static func notFound(_ message: String) -> APIError {
        APIError(status: 404, code: "not_found", message: message)
    }

    public static func methodNotAllowed(_ method: String, allowed: [String]) -> APIError {
        var e = APIError(status: 405, code: "method_not_allowed", message: "method \(method) is not allowed here")
        e.headers = [("Allow", allowed.joined(separator: ", "))]
        return e
    }

    public static func unsupportedMediaType(_ type: String) -> APIError {
        APIError(status: 415, code: "unsupported_media_type", message: "content type \(type) is not supported; send application/json")
    }

    public static func payloadTooLarge(limit: Int) -> APIError {
        APIError(status: 413, code: "payload_too_large", message: "request body exceeds \(limit) bytes")
    }

    public static func notReady(_ message: String) -> APIError {
        APIError(status: 503, code: "not_ready", message: message)
    }

    /// `GET .../runner?min_revision=` whose wait ran out before this replica applied the revision.
    public static func notConverged(_ target: Int64, applied: Int64, waited: Double) -> APIError {
        APIError(
            status: 503, code: "not_converged",
            message: "this replica has applied revision \(applied), not yet \(target) (waited \(waited)s)")
    }

    public static func `internal`(_ message: String) -> APIError {
        APIError(status: 500, code: "internal", message: message)
    }
}
