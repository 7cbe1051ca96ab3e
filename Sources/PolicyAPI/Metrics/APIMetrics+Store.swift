import CoreMetrics
import Locking
import PolicyService

/// The shared store's gauges and counters (only with a shared store, e.g. etcd).
final class StoreMetrics: Sendable {
    let connected: CoreMetrics.Gauge
    let appliedRevision: CoreMetrics.Gauge
    let degraded: CoreMetrics.Gauge
    let watchRestarts: CoreMetrics.Counter
    let resyncs: CoreMetrics.Counter
    let rejected: CoreMetrics.Counter
    /// What the counters were last advanced to (the store keeps totals; counters take increments).
    private let reported = Locked(StoreStatus())

    init(factory: any MetricsFactory) {
        connected = CoreMetrics.Gauge(label: "policyd_store_connected", factory: factory)
        appliedRevision = CoreMetrics.Gauge(label: "policyd_store_applied_revision", factory: factory)
        degraded = CoreMetrics.Gauge(label: "policyd_store_degraded", factory: factory)
        watchRestarts = CoreMetrics.Counter(label: "policyd_store_watch_restarts_total", factory: factory)
        resyncs = CoreMetrics.Counter(label: "policyd_store_resyncs_total", factory: factory)
        rejected = CoreMetrics.Counter(label: "policyd_store_rejected_documents_total", factory: factory)
    }

    func record(_ status: StoreStatus) {
        connected.record(status.connected ? 1 : 0)
        appliedRevision.record(status.appliedRevision)
        degraded.record(status.degraded == nil ? 0 : 1)
        let before = reported.withLock { last in
            defer { last = status }
            return last
        }
        if status.watchRestarts > before.watchRestarts { watchRestarts.increment(by: status.watchRestarts - before.watchRestarts) }
        if status.resyncs > before.resyncs { resyncs.increment(by: status.resyncs - before.resyncs) }
        if status.rejectedDocuments > before.rejectedDocuments {
            rejected.increment(by: status.rejectedDocuments - before.rejectedDocuments)
        }
    }
}

extension APIMetrics {
    /// Records a shared store's state (called on each scrape); the store metrics appear
    /// with the first call, so a file-store server exposes none.
    func record(_ status: StoreStatus) {
        let metrics = store.withLock { kept in
            if let kept { return kept }
            let made = StoreMetrics(factory: factory)
            kept = made
            return made
        }
        metrics.record(status)
    }
}
