public import PolicyLanguage

/// A gate decision request (the API's DecisionRequest); absent fields are zero values.
public struct DecisionInput: Sendable, Equatable {
    public var event: EventKind
    public var peerID: Int = 0
    public var port: Int = 0
    public var peerTags: [String] = []
    public var localTags: [String] = []
    public var senderRating: Double = 0
    public var size: Int = 0
    public var direction: String = ""

    public init(event: EventKind) {
        self.event = event
    }
}

extension DecisionInput {
    /// The evaluation context of this input on a network: what a runner knows besides the
    /// input (members, the peer's age and table tags, the time) given here. Peer tags are the
    /// input's, then the table's, without repeats. Runners and `policyd eval` both build it here.
    public func context(
        networkID: Int, members: Int, peerAgeS: Double = 0, memberTags: [String] = [], policyTags: [String] = [],
        now: Double = 0
    ) -> EvalContext {
        var context = EvalContext()
        context.peerID = peerID
        context.port = port
        context.localTags = localTags
        context.senderRating = senderRating
        context.size = size
        context.direction = direction
        context.networkID = networkID
        context.members = members
        context.peerAgeS = peerAgeS
        context.peerTags = TagUnion.union(peerTags, memberTags, policyTags)
        context.now = now
        return context
    }
}
