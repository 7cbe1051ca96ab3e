import Logging
import MicroHTTP
import PolicyService

extension PolicyAPI {
    /// The one place errors become responses: API errors as they are, service errors
    /// through their mapping, anything else a 500 with its cause logged.
    static func errorResponse(_ error: any Error, logger: Logger) -> HTTPResponse {
        switch error {
        case let error as APIError:
            return error.response
        case let error as ServiceError:
            let mapped = APIError(error)
            if mapped.status >= 500 { logger.error("request failed", metadata: ["error": "\(error)"]) }
            return mapped.response
        default:
            logger.error("unexpected error", metadata: ["error": "\(error)"])
            return APIError.internal("internal error").response
        }
    }
}
