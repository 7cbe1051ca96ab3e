import CoreMetrics
import Locking
import PolicyService

/// A Prometheus counter that requests add to without sharing a cache line
/// (`StripedCounters`); what was added reaches the registry's counter when the exposition is
/// written (`APIMetrics.exposition` flushes every one first), so `/metrics` is still
/// swift-prometheus's own text, with every addition made before the scrape.
final class StripedCounter: Sendable {
    private let counter: CoreMetrics.Counter
    private let stripes = StripedCounters(count: 1)
    /// What the registry's counter was advanced to.
    private let flushed = Locked<Int>(0)

    init(_ counter: CoreMetrics.Counter) {
        self.counter = counter
    }

    func increment() {
        stripes.add(0)
    }

    /// Advances the registry's counter by what was added since the last flush.
    func flush() {
        flushed.withLock { done in
            let total = stripes.value(0)
            if total > done {
                counter.increment(by: Int64(total - done))
                done = total
            }
        }
    }
}
