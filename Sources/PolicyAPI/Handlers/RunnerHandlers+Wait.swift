import Dispatch
import MicroHTTP
import PolicyLanguage
import PolicyService

extension PolicyAPI {
    /// The longest `wait` of `GET .../runner?min_revision=`; longer is 400.
    static let maxConvergenceWait = 30.0

    /// `GET /v1/networks/{id}/runner`: the active runner's status; with `min_revision=R`, once
    /// this replica has applied store revision R (at once without a shared store: it has no
    /// revisions), waiting at most `wait` (default 0) and answering 503 `not_converged` when
    /// the wait runs out. A waiting request holds no thread: its connection is suspended until
    /// the follower reaches R, a timer fires, or the server stops.
    func runnerStatus(_ request: HTTPRequest, _ p: PathParameters) throws -> HTTPAnswer {
        guard let raw = request.query("min_revision") else {
            if request.query("wait") != nil { throw APIError.badRequest("query parameter wait needs min_revision") }
            // The hot path: written into the connection's response buffer.
            let status = try activeStatus(try Self.networkID(p))
            var w = JSONWriter(reusing: request.responseBuffer(capacity: 384), capacity: 384)
            w.runnerStatus(status, fixed: statusParts.parts(of: status))
            return .now(.json(200, w))
        }
        let id = try Self.networkID(p)
        let target = try Self.revision(raw)
        let wait = try Self.wait(request.query("wait"))
        guard let applied = service.store.applied, applied.value < target else {
            return .now(runnerStatusResponse(200, try activeStatus(id)))
        }
        guard wait > 0 else { throw APIError.notConverged(target, applied: applied.value, waited: wait) }
        let (method, path, route) = (request.method, request.path, "/v1/networks/{id}/runner")
        let clock = ContinuousClock()
        let began = clock.now
        let stopped = APIError.notReady("the server is stopping").response
        return .later(ifStopped: stopped) { [self] completion in
            let answer: @Sendable (HTTPResponse) -> Void = { response in
                // Only the first answer counts (the other may come from the timer, or the server stopped it).
                guard completion.complete(response) else { return }
                self.finish(method: method, path: path, route: route, status: response.status, duration: clock.now - began)
            }
            let waiter = applied.whenReached(target) { answer(self.statusResponse(id)) }
            guard let waiter else { return answer(self.statusResponse(id)) }
            DispatchQueue.global().asyncAfter(deadline: .now() + wait) {
                applied.cancel(waiter)
                guard !completion.isCompleted else { return }
                answer(Self.errorResponse(APIError.notConverged(target, applied: applied.value, waited: wait), logger: self.logger))
            }
        }
    }

    /// The runner status of `id`, or its error, as a response (answered off `respond`).
    private func statusResponse(_ id: Int) -> HTTPResponse {
        do {
            return runnerStatusResponse(200, try activeStatus(id))
        } catch {
            return Self.errorResponse(error, logger: logger)
        }
    }

    /// `min_revision`: a decimal store revision, 0 or more.
    static func revision(_ raw: String) throws(APIError) -> Int64 {
        guard !raw.isEmpty, raw.utf8.count <= 19, raw.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let r = Int64(raw) else {
            throw .badRequest("query parameter min_revision must be a store revision (0 or more), not '\(raw.prefix(32))'")
        }
        return r
    }

    /// `wait`: a Go duration 0...30s (absent: 0, answer at once).
    static func wait(_ raw: String?) throws(APIError) -> Double {
        guard let raw else { return 0 }
        guard let seconds = GoDurationText.seconds(raw), seconds >= 0 else {
            throw .badRequest("query parameter wait must be a duration such as 5s or 500ms, not '\(raw.prefix(32))'")
        }
        guard seconds <= maxConvergenceWait else { throw .badRequest("query parameter wait must be at most 30s") }
        return seconds
    }
}
