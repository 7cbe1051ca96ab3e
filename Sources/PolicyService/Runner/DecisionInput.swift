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
