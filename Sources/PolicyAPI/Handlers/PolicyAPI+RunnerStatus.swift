import MicroHTTP
import PolicyLanguage
import PolicyService

extension PolicyAPI {
    /// A RunnerStatus response (the runner endpoint, PUT policy, reload).
    func runnerStatusResponse(_ code: Int, _ s: RunnerStatus, headers: [(name: String, value: String)] = []) -> HTTPResponse {
        var w = JSONWriter(capacity: 384)
        w.runnerStatus(s, fixed: statusParts.parts(of: s))
        return .json(code, w, headers: headers)
    }

    /// The status of the network's active runner; 404 when it has none.
    func activeStatus(_ id: Int) throws(APIError) -> RunnerStatus {
        guard let status = service.status(network: id) else { throw APIError.notFound("no runner for network \(id)") }
        return status
    }
}
