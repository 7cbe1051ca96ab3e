public import PolicyLanguage

/// What a network's active runner is and has done, read at one moment: everything a
/// RunnerStatus (openapi.yaml) shows. A value: the API never holds the runner itself.
public struct RunnerStatus: Sendable {
    /// The fields fixed for the runner's life (shared, not copied).
    public let facts: RunnerFacts
    public var state: RunnerLifecycle.State
    /// Unix seconds when the runner started; nil before (a registered runner has started).
    public var startedAt: Double?
    public var peers: Int
    /// Cycles run; with a shared store, by every replica together.
    public var cycleNum: Int
    /// The store's revision of the running document; nil with the file store.
    public var revision: Int64?
    /// The replica that runs the network's cycles (shared store only; nil when none is known).
    public var cycleOwner: String?
    public var decisions: DecisionCounts

    public var networkID: Int { facts.networkID }
    public var generation: Int { facts.generation }
    public var etag: String { facts.etag }
    public var rules: Int { facts.rules }
    public var defaultVerdict: Verdict { facts.defaultVerdict }
    public var failClosed: Bool { facts.failClosed }
    public var cycle: String? { facts.cycle }
    public var maxPeers: Int? { facts.maxPeers }
    public var sharesPeers: Bool { facts.sharesPeers }
}

extension RunnerStatus {
    /// Reads a runner's moving fields: the same locks and atomics a status read always took.
    init(_ r: Runner) {
        let lifecycle = r.lifecycleSnapshot
        facts = r.facts
        state = lifecycle.state
        startedAt = lifecycle.startedAt
        peers = r.peers.count
        cycleNum = lifecycle.cycleNum
        revision = r.revision
        cycleOwner = r.cycleOwner
        decisions = r.decisionCounts
    }
}
