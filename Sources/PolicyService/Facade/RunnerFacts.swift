public import PolicyLanguage

/// What a runner is for its whole life, made once when it is built: a status read takes one
/// reference to it instead of copying each field (and retaining each string) per request.
public final class RunnerFacts: Sendable {
    public let networkID: Int
    /// Counts the runners this process started for the network; only grows.
    public let generation: Int
    /// Quoted content hash of the running document (the HTTP ETag).
    public let etag: String
    public let rules: Int
    public let defaultVerdict: Verdict
    public let failClosed: Bool
    /// The policy's `config.cycle` as written (e.g. "30s"), if any.
    public let cycle: String?
    public let maxPeers: Int?
    /// True when the peer table is shared through the store (etcd): the status's `cycleOwner` then says something.
    public let sharesPeers: Bool

    init(networkID: Int, generation: Int, etag: String, policy: CompiledPolicy, sharesPeers: Bool) {
        self.networkID = networkID
        self.generation = generation
        self.etag = etag
        rules = policy.rules.count
        defaultVerdict = policy.defaultVerdict
        failClosed = policy.failClosed
        cycle = policy.config.cycle
        maxPeers = policy.config.maxPeers
        self.sharesPeers = sharesPeers
    }
}
