public import PolicyLanguage
public import PolicyService

/// A decision request read outside HTTP (`policyd eval`): the API's DecisionRequest fields,
/// read by the API's own code with its rules and messages, `event` given by the caller (one in
/// the input is ignored), and what a server knows itself: `network_id` (1...65535), `members`
/// and `peer_age_s` (0 or more). Absent fields are zero values.
public struct StandaloneDecisionRequest: Sendable {
    public let input: DecisionInput
    public private(set) var networkID = 0
    public private(set) var members = 0
    public private(set) var peerAgeS = 0.0

    /// Reads `bytes` as a JSON object; every error is an `APIError` (400) with the API's message.
    public init(json bytes: [UInt8], event: EventKind) throws(APIError) {
        let body = try RequestBody.parseObject(bytes, parser: JSONParser())
        input = try DecisionInput(DecisionFields(body), event: event)
        if let id = try body.int("network_id", in: NetworkID.range) { networkID = id }
        members = try body.int("members", in: 0...Int.max) ?? 0
        if let age = try JSONField.double(body["peer_age_s"], name: "peer_age_s") {
            guard age >= 0 else { throw .badRequest("peer_age_s must be 0 or more") }
            peerAgeS = age
        }
    }

    /// The evaluation context of this request, built as a runner builds it (no peer table).
    public var context: EvalContext {
        input.context(networkID: networkID, members: members, peerAgeS: peerAgeS)
    }
}
