public import PolicyLanguage

/// What a network's active runner is and has done, read at one moment: everything a
/// RunnerStatus (openapi.yaml) shows. A value: the API never holds the runner itself.
public struct RunnerStatus: Sendable {
    public var networkID: Int
    /// Counts the runners this process started for the network; only grows.
    public var generation: Int
    /// Quoted content hash of the running document (the HTTP ETag).
    public var etag: String
    public var state: RunnerLifecycle.State
    public var rules: Int
    public var defaultVerdict: Verdict
    public var failClosed: Bool
    /// The policy's `config.cycle` as written (e.g. "30s"), if any.
    public var cycle: String?
    public var maxPeers: Int?
    /// Unix seconds when the runner started; nil before (a registered runner has started).
    public var startedAt: Double?
    public var peers: Int
    /// Cycles run; with a shared store, by every replica together.
    public var cycleNum: Int
    /// The store's revision of the running document; nil with the file store.
    public var revision: Int64?
    /// True when the peer table is shared through the store (etcd): `cycleOwner` then says something.
    public var sharesPeers: Bool
    /// The replica that runs the network's cycles (shared store only; nil when none is known).
    public var cycleOwner: String?
    public var decisions: DecisionCounts
}

extension RunnerStatus {
    /// Copies a runner's fields: only refcounts and the same locks the status read took before.
    init(_ r: Runner) {
        let lifecycle = r.lifecycleSnapshot
        networkID = r.networkID
        generation = r.generation
        etag = r.etag
        state = lifecycle.state
        rules = r.policy.rules.count
        defaultVerdict = r.policy.defaultVerdict
        failClosed = r.policy.failClosed
        cycle = r.policy.config.cycle
        maxPeers = r.policy.config.maxPeers
        startedAt = lifecycle.startedAt
        peers = r.peers.count
        cycleNum = lifecycle.cycleNum
        revision = r.revision
        sharesPeers = r.sharesPeers
        cycleOwner = r.cycleOwner
        decisions = r.decisionCounts
    }
}
