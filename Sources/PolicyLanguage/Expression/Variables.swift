/// The variables of each scope (docs/policy-language.md, "Variables") and how to read them.
enum Variables {
    static func types(for scope: ExprScope) -> [String: SType] {
        var vars: [String: SType] = ["local_tags": .stringSlice]
        let connectSet: [String: SType] = [
            "peer_id": .int, "port": .int, "network_id": .int, "peer_tags": .stringSlice,
            "peer_age_s": .float, "members": .int, "sender_rating": .float,
        ]
        switch scope {
        case .event(.connect), .event(.dial):
            vars.merge(connectSet) { a, _ in a }
        case .event(.datagram):
            vars.merge(connectSet) { a, _ in a }
            vars["size"] = .int
            vars["direction"] = .string
        case .event(.cycle):
            vars.merge([
                "network_id": .int, "members": .int, "peer_count": .int, "cycle_num": .int,
                "trusted_count": .int, "peer_id": .int, "peer_tags": .stringSlice, "peer_age_s": .float,
            ]) { a, _ in a }
        case .event(.join):
            vars.merge(["peer_id": .int, "network_id": .int, "members": .int]) { a, _ in a }
        case .event(.leave):
            vars.merge(["peer_id": .int, "network_id": .int]) { a, _ in a }
        case .evictWhere:
            vars.merge([
                "peer_id": .int, "peer_tags": .stringSlice, "peer_age_s": .float, "last_seen": .float,
            ]) { a, _ in a }
        }
        return vars
    }

    static func intVariable(_ name: String) -> IFn? {
        switch name {
        case "peer_id": return { ctx, env in ctx.peerID }
        case "port": return { ctx, env in ctx.port }
        case "network_id": return { ctx, env in ctx.networkID }
        case "members": return { ctx, env in ctx.members }
        case "size": return { ctx, env in ctx.size }
        case "peer_count": return { ctx, env in ctx.peerCount }
        case "cycle_num": return { ctx, env in ctx.cycleNum }
        case "trusted_count": return { ctx, env in ctx.trustedCount }
        default: return nil
        }
    }

    static func floatVariable(_ name: String) -> FFn? {
        switch name {
        case "peer_age_s": return { ctx, env in ctx.peerAgeS }
        case "sender_rating": return { ctx, env in ctx.senderRating }
        case "last_seen": return { ctx, env in ctx.lastSeen }
        default: return nil
        }
    }

    static func stringVariable(_ name: String) -> SFn? {
        if name == "direction" { return { ctx, env in ctx.direction } }
        return nil
    }

    /// Whether a tag-list variable is peer_tags (else local_tags).
    static func isPeerTags(_ name: String) -> Bool { name == "peer_tags" }

    static func valueVariable(_ name: String) -> VFn {
        if let f = intVariable(name) { return { ctx, env throws(EvaluationError) in .int(try f(ctx, &env)) } }
        if let f = floatVariable(name) { return { ctx, env throws(EvaluationError) in .float(try f(ctx, &env)) } }
        if let f = stringVariable(name) { return { ctx, env throws(EvaluationError) in .string(try f(ctx, &env)) } }
        if name == "peer_tags" { return { ctx, env in .array(ArrayValue(strings: ctx.peerTags)) } }
        return { ctx, env in .array(ArrayValue(strings: ctx.localTags)) }
    }
}
