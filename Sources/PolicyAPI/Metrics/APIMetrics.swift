import CoreMetrics
import Prometheus
import Synchronization

/// The server's metrics, through swift-metrics into a Prometheus registry of its own
/// (no global bootstrap, so several servers can live in one process, as in tests).
public final class APIMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    let factory: PrometheusMetricsFactory
    private let requests = Mutex<[RequestKey: CoreMetrics.Counter]>([:])
    private let latencies = Mutex<[String: CoreMetrics.Timer]>([:])
    let swaps: CoreMetrics.Counter
    /// The service's swap count when last exported (the counter gets the difference).
    private let swapsExported = Mutex(0)
    let decisionsAllow: CoreMetrics.Counter
    let decisionsDeny: CoreMetrics.Counter
    let evaluationErrors: CoreMetrics.Counter
    let runners: CoreMetrics.Gauge
    /// Made on the first scrape that has a shared store's status.
    let store = Mutex<StoreMetrics?>(nil)

    struct RequestKey: Hashable {
        var route: String
        var method: String
        var status: Int
    }

    public init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .microseconds(50), .microseconds(100), .microseconds(250), .microseconds(500),
            .milliseconds(1), .milliseconds(2.5), .milliseconds(5), .milliseconds(10),
            .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
            .milliseconds(500), .seconds(1), .seconds(2.5),
        ]
        self.factory = factory
        swaps = CoreMetrics.Counter(label: "policyd_swaps_total", factory: factory)
        decisionsAllow = CoreMetrics.Counter(label: "policyd_decisions_total", dimensions: [("verdict", "allow")], factory: factory)
        decisionsDeny = CoreMetrics.Counter(label: "policyd_decisions_total", dimensions: [("verdict", "deny")], factory: factory)
        evaluationErrors = CoreMetrics.Counter(label: "policyd_evaluation_errors_total", factory: factory)
        runners = CoreMetrics.Gauge(label: "policyd_runners", factory: factory)
    }

    /// Brings `policyd_swaps_total` up to the service's count (taken at each scrape: the
    /// service counts every registration, whoever caused it).
    func recordSwaps(_ total: Int) {
        let delta = swapsExported.withLock { exported in
            defer { exported = max(exported, total) }
            return total - exported
        }
        if delta > 0 { swaps.increment(by: delta) }
    }

    /// Counts a finished request and records its latency.
    func request(route: String, method: String, status: Int, duration: Duration) {
        makeRequestCounter(route: route, method: method, status: status).increment()
        latency(route: route).recordInterval(duration)
    }

    /// The requests counter of a route, method and status (one per combination).
    func makeRequestCounter(route: String, method: String, status: Int) -> CoreMetrics.Counter {
        let key = RequestKey(route: route, method: method, status: status)
        return requests.withLock { all in
            if let c = all[key] { return c }
            let c = CoreMetrics.Counter(
                label: "policyd_http_requests_total",
                dimensions: [("route", route), ("method", method), ("status", String(status))], factory: factory)
            all[key] = c
            return c
        }
    }

    /// The latency histogram of a route (one per route).
    func latency(route: String) -> CoreMetrics.Timer {
        latencies.withLock { all in
            if let t = all[route] { return t }
            let t = CoreMetrics.Timer(label: "policyd_http_request_duration_seconds", dimensions: [("route", route)], factory: factory)
            all[route] = t
            return t
        }
    }

    /// The Prometheus text exposition.
    func exposition() -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(8192)
        registry.emit(into: &buffer)
        return buffer
    }
}

extension CoreMetrics.Timer {
    func recordInterval(_ d: Duration) {
        let (s, atto) = d.components
        recordNanoseconds(s * 1_000_000_000 + atto / 1_000_000_000)
    }
}
