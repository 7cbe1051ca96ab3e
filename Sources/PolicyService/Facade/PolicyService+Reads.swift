import Locking
import PolicyLanguage

/// The service's reads: values only, so no layer above ever holds a runner.
extension PolicyService {
    /// A gate decision by the network's active runner (side effects applied while it runs).
    public func decide(network networkID: Int, input: DecisionInput) throws(ServiceError) -> Decision {
        guard let runner = registry.runner(for: networkID) else { throw .notFound("no runner for network \(networkID)") }
        return Decision(runner.decide(input), networkID: networkID, generation: runner.generation)
    }

    /// The status of the network's active runner, or nil when it has none.
    public func status(network networkID: Int) -> RunnerStatus? {
        registry.runner(for: networkID).map(RunnerStatus.init)
    }

    /// The status of every active runner, by network id.
    public func statuses() -> [RunnerStatus] {
        registry.all().map(RunnerStatus.init)
    }

    /// The network's peer table, oldest first; nil when the network has no runner.
    public func peers(network networkID: Int) -> [PeerRecord]? {
        registry.runner(for: networkID)?.peers.snapshot()
    }

    /// The ETag each active runner runs, by network id (what a replica registers).
    public func etags() -> [Int: String] {
        var etags: [Int: String] = [:]
        for runner in registry.all() { etags[runner.networkID] = runner.etag }
        return etags
    }

    /// How many registered runners are running (after `shutdown()`, those it could not stop).
    public var runningCount: Int {
        registry.all().filter { $0.state == .running }.count
    }

    /// Decisions made by every runner this service ever ran, retired ones included: for
    /// counters that only grow. A decision counts in its runner's counters only (no second
    /// increment per decision); a runner's counts join `retiredDecisions` once it is stopped.
    public var decisionTotals: DecisionCounts {
        // Retired first: a runner's counts are added there after it left the registry, so this
        // order can miss a runner for one read (a total that lags) but never count it twice.
        var total = retiredDecisions.withLock { $0 }
        for runner in registry.all() { total += runner.decisionCounts }
        return total
    }
}
