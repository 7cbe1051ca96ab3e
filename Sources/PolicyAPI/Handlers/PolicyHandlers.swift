import MicroHTTP
import PolicyLanguage
import PolicyService

extension PolicyAPI {
    /// `PUT /v1/networks/{id}/policy`: 201 first policy, 200 swapped; RunnerStatus + ETag.
    func putPolicy(_ request: HTTPRequest, _ p: PathParameters) throws -> HTTPResponse {
        let id = try Self.networkID(p)
        try RequestBody.checkContentType(request)
        let preconditions = try Self.writePreconditions(request)
        let outcome = try service.putPolicy(request.body, for: id, expecting: preconditions.expectedDocument)
        return runnerStatusResponse(outcome.created ? 201 : 200, outcome.status, headers: [("ETag", outcome.status.etag)])
    }

    /// `GET /v1/networks/{id}/policy`: the stored document as received, with its ETag.
    func getPolicy(_ p: PathParameters) throws -> HTTPResponse {
        let id = try Self.networkID(p)
        let (bytes, etag, _) = try service.document(for: id)
        return .json(200, bytes: bytes, headers: [("ETag", etag)])
    }

    /// `DELETE /v1/networks/{id}/policy`: 204; the runner is stopped, the document removed.
    func deletePolicy(_ request: HTTPRequest, _ p: PathParameters) throws -> HTTPResponse {
        let id = try Self.networkID(p)
        try service.deletePolicy(for: id, expecting: try Self.writePreconditions(request).expectedDocument)
        return HTTPResponse(status: 204)
    }

    /// If-Match and If-None-Match of a PUT or DELETE; 400 when either is malformed.
    static func writePreconditions(_ request: HTTPRequest) throws(APIError) -> WritePreconditions {
        WritePreconditions(
            ifMatch: try ConditionalHeaders.condition(request, "If-Match"),
            ifNoneMatch: try ConditionalHeaders.condition(request, "If-None-Match"))
    }

    /// `POST /v1/policies/validate`: 200 `{"valid":true,"rules":N}`; nothing stored or started.
    func validate(_ request: HTTPRequest) throws -> HTTPResponse {
        try RequestBody.checkContentType(request)
        let policy = try service.validate(request.body)
        var w = JSONWriter(capacity: 32)
        w.beginObject()
        w.key("valid"); w.bool(true)
        w.key("rules"); w.int(policy.rules.count)
        w.endObject()
        return .json(200, w)
    }
}
