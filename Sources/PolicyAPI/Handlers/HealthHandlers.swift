import CoreMetrics
import MicroHTTP
import PolicyLanguage
import PolicyService

extension PolicyAPI {
    static let healthBody = Array(#"{"status":"ok"}"#.utf8)

    /// `GET /healthz`: 200 while the process serves.
    func health() -> HTTPResponse {
        .json(200, bytes: Self.healthBody)
    }

    /// `GET /readyz`: 200 with the runner count once loaded; 503 while starting or draining.
    func readiness() -> HTTPResponse {
        var w = JSONWriter(capacity: 48)
        w.beginObject()
        switch currentPhase {
        case .ready:
            w.key("status"); w.string("ready")
            w.key("networks"); w.int(service.runnerCount)
            if let store = service.store.status {
                // Fail static: the runners keep serving what they have; writes answer 503.
                w.key("store"); w.string(store.connected ? "connected" : "unavailable")
                // The wiped-store guard: still serving (200), but etcd's content is not applied.
                w.key("degraded"); w.bool(store.degraded != nil)
                if let reason = store.degraded { w.key("degraded_reason"); w.string(reason) }
            }
            w.endObject()
            return .json(200, w)
        case .starting, .draining:
            w.key("status"); w.string(currentPhase == .starting ? "starting" : "draining")
            w.endObject()
            return .json(503, w)
        }
    }

    /// `GET /metrics`: Prometheus text exposition.
    func metricsText() -> HTTPResponse {
        metrics.runners.record(service.runnerCount)
        metrics.recordSwaps(service.swapCount)
        metrics.recordDecisions(service.decisionTotals)
        if let store = service.store.status { metrics.record(store) }
        return HTTPResponse(
            status: 200, headers: [("Content-Type", "text/plain; version=0.0.4; charset=utf-8")],
            body: metrics.exposition())
    }
}
