/// What a runner knows of one peer of its network.
public struct PeerRecord: Sendable, Equatable {
    public var peerID: Int
    /// Unix seconds when the peer was added.
    public var addedAt: Double
    /// Unix seconds of the peer's last membership refresh or decision.
    public var lastSeen: Double
    /// Tags from the membership list.
    public var memberTags: [String]
    /// Tags that policy directives gave the peer.
    public var policyTags: [String]

    public init(peerID: Int, addedAt: Double, lastSeen: Double, memberTags: [String] = [], policyTags: [String] = []) {
        self.peerID = peerID
        self.addedAt = addedAt
        self.lastSeen = lastSeen
        self.memberTags = memberTags
        self.policyTags = policyTags
    }

    /// Member tags then policy tags, duplicates dropped, order kept.
    var allTags: [String] { TagUnion.union(memberTags, policyTags) }

    /// Applies a tag directive; true when the policy tags changed.
    mutating func applyTag(add: [String], remove: [String]) -> Bool {
        let before = policyTags
        policyTags.removeAll { remove.contains($0) }
        for tag in add where !policyTags.contains(tag) {
            policyTags.append(tag)
        }
        return policyTags != before
    }
}
