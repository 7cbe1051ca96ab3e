import CoreMetrics
import Locking
import PolicyService
public import Prometheus

/// The server's metrics, through swift-metrics into a Prometheus registry of its own
/// (no global bootstrap, so several servers can live in one process, as in tests).
public final class APIMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    let factory: PrometheusMetricsFactory
    private let requests = Locked<[RequestKey: CoreMetrics.Counter]>([:])
    /// The latency histogram of each route, in the order they were made (the exposition's order).
    private let latencies = Locked<(byRoute: [String: LatencyHistogram], order: [LatencyHistogram])>(([:], []))
    /// The latency histograms' buckets (swift-prometheus's factory has the same).
    static let latencyBuckets: [Duration] = [
        .microseconds(50), .microseconds(100), .microseconds(250), .microseconds(500),
        .milliseconds(1), .milliseconds(2.5), .milliseconds(5), .milliseconds(10),
        .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
        .milliseconds(500), .seconds(1), .seconds(2.5),
    ]
    static let latencyName = "policyd_http_request_duration_seconds"
    let swaps: CoreMetrics.Counter
    /// The service's swap count when last exported (the counter gets the difference).
    private let swapsExported = Locked(0)
    let decisionsAllow: CoreMetrics.Counter
    let decisionsDeny: CoreMetrics.Counter
    /// The service's decision totals when last exported (the counters get the differences).
    private let decisionsExported = Locked(DecisionCounts())
    /// Every striped counter, flushed into the registry before each exposition.
    private let striped = Locked<[StripedCounter]>([])
    let evaluationErrors: CoreMetrics.Counter
    let runners: CoreMetrics.Gauge
    /// Made on the first scrape that has a shared store's status.
    let store = Locked<StoreMetrics?>(nil)

    struct RequestKey: Hashable {
        var route: String
        var method: String
        var status: Int
    }

    public init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = Self.latencyBuckets
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

    /// Brings `policyd_decisions_total` and `policyd_evaluation_errors_total` up to the service's
    /// totals (taken at each scrape, as `recordSwaps`: the runners count every decision once).
    func recordDecisions(_ totals: DecisionCounts) {
        let before = decisionsExported.withLock { exported in
            defer {
                exported.allow = max(exported.allow, totals.allow)
                exported.deny = max(exported.deny, totals.deny)
                exported.errors = max(exported.errors, totals.errors)
            }
            return exported
        }
        if totals.allow > before.allow { decisionsAllow.increment(by: totals.allow - before.allow) }
        if totals.deny > before.deny { decisionsDeny.increment(by: totals.deny - before.deny) }
        if totals.errors > before.errors { evaluationErrors.increment(by: totals.errors - before.errors) }
    }

    /// Counts a finished request and records its latency.
    func request(route: String, method: String, status: Int, duration: Duration) {
        makeRequestCounter(route: route, method: method, status: status).increment()
        latency(route: route).record(duration)
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

    /// The requests counter of a route, method and status, striped (a route's usual statuses).
    func makeStripedRequestCounter(route: String, method: String, status: Int) -> StripedCounter {
        let counter = StripedCounter(makeRequestCounter(route: route, method: method, status: status))
        striped.withLock { $0.append(counter) }
        return counter
    }

    /// The latency histogram of a route (one per route), lock-free (see `LatencyHistogram`).
    func latency(route: String) -> LatencyHistogram {
        latencies.withLock { all in
            if let h = all.byRoute[route] { return h }
            let h = LatencyHistogram(labels: [("route", route)], buckets: Self.latencyBuckets)
            all.byRoute[route] = h
            all.order.append(h)
            return h
        }
    }

    /// The Prometheus text exposition: the registry's metrics, then the latency histograms'
    /// family (swift-prometheus writes its families in no fixed order either).
    func exposition() -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(8192)
        for counter in striped.withLock({ $0 }) { counter.flush() }
        registry.emit(into: &buffer)
        LatencyHistogram.emitFamily(name: Self.latencyName, latencies.withLock { $0.order }, into: &buffer)
        return buffer
    }
}

extension LatencyHistogram {
    func record(_ d: Duration) {
        let (s, atto) = d.components
        record(nanoseconds: s * 1_000_000_000 + atto / 1_000_000_000)
    }
}
