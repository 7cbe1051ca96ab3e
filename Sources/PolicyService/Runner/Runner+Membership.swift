import Logging
import PolicyLanguage
import Synchronization

/// One entry of a network's member list.
public struct MemberInput: Sendable, Equatable {
    public var peerID: Int
    public var tags: [String]

    public init(peerID: Int, tags: [String] = []) {
        self.peerID = peerID
        self.tags = tags
    }
}

/// What a membership update did.
public struct MembershipResult: Sendable, Equatable {
    public var joined: [Int] = []
    public var left: [Int] = []
    /// Refused by a join rule (deny or evict), or still in the cooldown of an earlier deny.
    public var denied: [Int] = []
    /// Peers tracked afterwards.
    public var peers: Int = 0
}

extension Runner {
    /// Applies the full member list: missing peers fire `leave` and are removed, new
    /// ones fire `join` (deny or evict refuses them, deny with a cooldown), present ones
    /// get their member tags refreshed. `max_peers` caps how many are tracked.
    /// Callers serialize updates of one network (the service does, per network).
    func updateMembership(_ members: [MemberInput]) -> MembershipResult {
        updateMembership(members, in: ActionScope(table: peers))
    }

    /// `updateMembership(_:)` on `scope`'s table.
    func updateMembership(_ members: [MemberInput], in scope: ActionScope) -> MembershipResult {
        let peers = scope.table
        let now = environment.now()
        var result = MembershipResult()
        let wanted = Set(members.map(\.peerID))
        let (newcomers, leaving) = peers.withState { s -> ([MemberInput], [Int]) in
            var newcomers: [MemberInput] = []
            for m in members {
                if s.peers[m.peerID] != nil {
                    if s.peers[m.peerID]!.memberTags != m.tags {
                        s.peers[m.peerID]!.memberTags = m.tags
                        s.version += 1
                    }
                    s.peers[m.peerID]!.lastSeen = now
                } else {
                    newcomers.append(m)
                }
            }
            s.cooldowns = s.cooldowns.filter { $0.value > now }
            return (newcomers, s.peers.keys.filter { !wanted.contains($0) }.sorted())
        }

        for id in leaving {
            var context = baseContext(now: now, table: peers)
            context.peerID = id
            runActionDirectives(.leave, context: context, peerID: id, in: scope)
        }
        result.left = peers.remove(leaving)

        for m in newcomers {
            if let refusal = admit(m, now: now, in: scope) {
                if refusal { result.denied.append(m.peerID) }
            } else {
                result.joined.append(m.peerID)
            }
        }
        result.peers = peers.count
        return result
    }

    /// Adds one newcomer unless the cooldown, `max_peers` or a join rule refuses it.
    /// Returns nil when added, true when denied, false when skipped for `max_peers`.
    private func admit(_ member: MemberInput, now: Double, in scope: ActionScope) -> Bool? {
        let peers = scope.table
        let (blocked, count) = peers.withState { s in ((s.cooldowns[member.peerID] ?? 0) > now, s.peers.count) }
        if blocked { return true }
        if let cap = policy.config.maxPeers, count >= cap { return false }

        var context = baseContext(now: now, table: peers)
        context.peerID = member.peerID
        context.members = count
        let outcome = policy.evaluateActions(.join, context: context)
        if let failure = outcome.error {
            counters.actionErrors.add(1, ordering: .relaxed)
            logActionError(.join, rule: failure.rule, error: failure.error)
        }
        if outcome.directives.contains(where: { $0.type == .deny }) {
            peers.withState { s in s.cooldowns[member.peerID] = now + environment.joinCooldownSeconds }
            return true
        }
        if outcome.directives.contains(where: { $0.type == .evict }) {
            return true
        }
        peers.withState { s in
            s.peers[member.peerID] = PeerRecord(peerID: member.peerID, addedAt: now, lastSeen: now, memberTags: member.tags)
            s.version += 1
        }
        for directive in outcome.directives where directive.type != .allow {
            execute(directive, peerID: member.peerID, event: .join, in: scope)
        }
        return nil
    }

    /// A context with the runner-wide variables set (`members` from `table`).
    func baseContext(now: Double, table: PeerTable) -> EvalContext {
        var context = EvalContext()
        context.networkID = networkID
        context.now = now
        context.members = table.count
        return context
    }

    /// Evaluates an action event for one peer and executes its directives.
    func runActionDirectives(_ event: EventKind, context: EvalContext, peerID: Int, in scope: ActionScope) {
        let outcome = policy.evaluateActions(event, context: context)
        if let failure = outcome.error {
            counters.actionErrors.add(1, ordering: .relaxed)
            logActionError(event, rule: failure.rule, error: failure.error)
            return
        }
        for directive in outcome.directives {
            execute(directive, peerID: peerID, event: event, in: scope)
        }
    }

    func logActionError(_ event: EventKind, rule: String, error: EvaluationError) {
        environment.logger.warning(
            "policy evaluation failed",
            metadata: [
                "network": "\(networkID)", "event": "\(event.rawValue)", "rule": "\(rule)",
                "error": "\(error.description)",
            ]
        )
    }
}
