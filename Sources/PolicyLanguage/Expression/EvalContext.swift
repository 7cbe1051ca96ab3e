/// The values of every variable an expression can read. Fields a scope does not
/// declare are simply never read (the compiler rejects names outside the scope).
public struct EvalContext: Sendable {
    public var peerID: Int = 0
    public var port: Int = 0
    public var networkID: Int = 0
    public var peerTags: [String] = []
    public var localTags: [String] = []
    public var peerAgeS: Double = 0
    public var members: Int = 0
    public var senderRating: Double = 0
    public var size: Int = 0
    public var direction: String = ""
    public var peerCount: Int = 0
    public var cycleNum: Int = 0
    public var trustedCount: Int = 0
    /// Unix seconds of the peer's last activity (evict_where only).
    public var lastSeen: Double = 0
    /// Unix seconds "now", read by `since()`; 0 means "use the wall clock".
    public var now: Double = 0

    public init() {}
}
