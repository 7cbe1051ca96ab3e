import MicroHTTP
import PolicyLanguage
import PolicyService

extension PolicyAPI {
    /// `PUT /v1/networks/{id}/policy`: 201 first policy, 200 swapped; RunnerStatus + ETag.
    func putPolicy(_ request: HTTPRequest, _ p: PathParameters) throws(APIError) -> HTTPResponse {
        let id = try Self.networkID(p)
        try RequestBody.checkContentType(request)
        let preconditions = WritePreconditions(
            ifMatch: request.header("If-Match"),
            ifNoneMatchAny: request.header("If-None-Match")?.contains("*") ?? false)
        let outcome: PutOutcome
        do throws(ServiceError) {
            outcome = try service.putPolicy(request.body, for: id, preconditions: preconditions)
        } catch {
            throw APIError(error)
        }
        metrics.swaps.increment()
        var w = JSONWriter(capacity: 384)
        w.runnerStatus(outcome.runner)
        return .json(outcome.created ? 201 : 200, w, headers: [("ETag", outcome.runner.etag)])
    }

    /// `GET /v1/networks/{id}/policy`: the stored document as received, with its ETag.
    func getPolicy(_ p: PathParameters) throws(APIError) -> HTTPResponse {
        let id = try Self.networkID(p)
        do throws(ServiceError) {
            let (bytes, etag) = try service.document(for: id)
            return .json(200, bytes: bytes, headers: [("ETag", etag)])
        } catch {
            throw APIError(error)
        }
    }

    /// `DELETE /v1/networks/{id}/policy`: 204; the runner is stopped, the document removed.
    func deletePolicy(_ request: HTTPRequest, _ p: PathParameters) throws(APIError) -> HTTPResponse {
        let id = try Self.networkID(p)
        do throws(ServiceError) {
            try service.deletePolicy(for: id, preconditions: WritePreconditions(ifMatch: request.header("If-Match")))
        } catch {
            throw APIError(error)
        }
        return HTTPResponse(status: 204)
    }

    /// `POST /v1/policies/validate`: 200 `{"valid":true,"rules":N}`; nothing stored or started.
    func validate(_ request: HTTPRequest) throws(APIError) -> HTTPResponse {
        try RequestBody.checkContentType(request)
        let policy: CompiledPolicy
        do throws(ServiceError) {
            policy = try service.validate(request.body)
        } catch {
            throw APIError(error)
        }
        var w = JSONWriter(capacity: 32)
        w.beginObject()
        w.key("valid"); w.bool(true)
        w.key("rules"); w.int(policy.rules.count)
        w.endObject()
        return .json(200, w)
    }
}
