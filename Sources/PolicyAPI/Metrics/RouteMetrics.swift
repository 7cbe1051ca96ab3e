import CoreMetrics
import PolicyService

/// One route's request metrics for the method it was registered with, made once at route
/// registration: a request then costs atomic loads and three relaxed additions to the calling
/// thread's own cache lines (the striped counter and `LatencyHistogram`), no lock, no dictionary lookup
/// (APIMetrics.request, the general path, takes two more locks and hashes strings).
///
/// The counters of the usual statuses and the timer are created on first use, as before, so
/// /metrics shows only series that happened.
final class RouteMetrics: Sendable {
    let route: String
    let method: String
    private let metrics: APIMetrics
    private let timer = LazyObject()  // a LatencyHistogram
    /// Statuses with a lock-free counter slot; others go through `APIMetrics.request`.
    private static let slotted = [200, 201, 204, 400, 404, 422]
    private let slots: [Slot]

    private final class Slot: Sendable {
        let counter = LazyObject()  // a StripedCounter
    }

    init(route: String, method: String, metrics: APIMetrics) {
        self.route = route
        self.method = method
        self.metrics = metrics
        slots = Self.slotted.map { _ in Slot() }
    }

    /// Counts a finished request of this route and method and records its latency.
    func request(status: Int, duration: Duration) {
        guard let index = Self.slotted.firstIndex(of: status) else {
            metrics.request(route: route, method: method, status: status, duration: duration)
            return
        }
        let slot = slots[index]
        let counter =
            slot.counter.load()
            ?? slot.counter.storeIfNil(metrics.makeStripedRequestCounter(route: route, method: method, status: status))
        unsafeDowncast(counter, to: StripedCounter.self).increment()
        let timer = self.timer.load() ?? self.timer.storeIfNil(metrics.latency(route: route))
        unsafeDowncast(timer, to: LatencyHistogram.self).record(duration)
    }
}
