import PolicyLanguage
import PolicyService

extension APIError {
    /// The mapping of service failures to HTTP.
    init(_ error: ServiceError) {
        switch error {
        case .invalidJSON(let e):
            self = APIError(status: 400, code: "invalid_json", message: "request body is not valid JSON: \(e)")
        case .invalidPolicy(let problems):
            let summary = problems.first.map { $0.description + (problems.count > 1 ? " (and \(problems.count - 1) more)" : "") }
            self = APIError(status: 422, code: "invalid_policy", message: summary ?? "invalid policy", details: problems)
        case .notFound(let message):
            self = .notFound(message)
        case .preconditionFailed(let message):
            self = APIError(status: 412, code: "precondition_failed", message: message)
        case .conflict(let message):
            self = APIError(status: 409, code: "conflict", message: message)
        case .storage(let e):
            switch e.kind {
            case .unavailable:
                self = APIError(status: 503, code: "store_unavailable", message: "the policy store is unavailable: \(e)")
            case .conflict:
                self = APIError(status: 412, code: "precondition_failed", message: "the stored policy changed meanwhile: \(e)")
            case .io:
                self = .internal("storage failure: \(e)")
            }
        }
    }

    /// A request body that is not acceptable JSON.
    init(_ error: JSONError) {
        self = APIError(status: 400, code: "invalid_json", message: "request body is not valid JSON: \(error)")
    }
}
