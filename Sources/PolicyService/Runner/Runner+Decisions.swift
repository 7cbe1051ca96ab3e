import Logging
import PolicyLanguage

extension Runner {
    /// Answers a gate event (connect, dial, datagram) and applies the decision's side
    /// effects (tag, log, webhook) while the runner is running.
    func decide(_ input: DecisionInput) -> GateDecision {
        let now = environment.now()
        let (members, record) = peers.withState { s -> (Int, PeerRecord?) in
            // By index: one hash, no copy of the record, and no write for a missing key (a modify
            // access to a missing key allocates).
            guard let index = s.peers.index(forKey: input.peerID) else { return (s.peers.count, nil) }
            s.peers.values[index].lastSeen = now
            return (s.peers.count, s.peers.values[index])
        }
        let context = input.context(
            networkID: networkID, members: members, peerAgeS: record.map { max(0, now - $0.addedAt) } ?? 0,
            memberTags: record?.memberTags ?? [], policyTags: record?.policyTags ?? [], now: now)

        let decision = policy.decide(input.event, context: context)
        counters.count(decision.verdict, error: decision.error != nil)
        if !decision.directives.isEmpty {
            apply(decision.directives, toPeer: input.peerID, event: input.event)
        }
        return decision
    }

    /// Side effects of a gate decision's directives; verdict directives need no work.
    private func apply(_ directives: [Directive], toPeer peerID: Int, event: EventKind) {
        var running: Bool?
        for directive in directives {
            // Gate side effects are tag, log and webhook (docs/policy-language.md, "Evaluation").
            switch directive.type {
            case .tag, .log, .webhook:
                if running == nil { running = state == .running }
                guard running == true else { return }
                execute(directive, peerID: peerID, event: event, in: ActionScope(table: peers))
            default:
                continue
            }
        }
    }

    /// Executes the directives that act on one peer (tag, evict: on `scope`'s table) or on
    /// the outside world (log, webhook: at once, or kept in `scope`'s effects). Returns what
    /// it did, for cycle and membership results.
    @discardableResult
    func execute(_ directive: Directive, peerID: Int, event: EventKind, in scope: ActionScope) -> DirectiveEffect {
        switch directive.params {
        case .tag(let add, let remove):
            return scope.table.tag(peerID, add: add, remove: remove) ? .tagged : .none
        case .log, .webhook:
            if let effects = scope.effects {
                effects.append(directive, peerID: peerID, event: event)
                return .none
            }
            emit(directive, peerID: peerID, event: event)
            return .none
        default:
            if directive.type == .evict, peerID != 0 {
                return scope.table.remove([peerID]).isEmpty ? .none : .evicted
            }
            return .none
        }
    }

    /// A log line or a webhook event.
    private func emit(_ directive: Directive, peerID: Int, event: EventKind) {
        switch directive.params {
        case .log(let message, let level):
            var logger = environment.logger
            logger[metadataKey: "network"] = "\(networkID)"
            logger[metadataKey: "rule"] = "\(directive.rule)"
            logger[metadataKey: "event"] = "\(event.rawValue)"
            if peerID != 0 { logger[metadataKey: "peer"] = "\(peerID)" }
            logger.log(level: level == .warn ? .warning : .info, "\(message)")
        case .webhook(let name):
            environment.outlet(PolicyEvent(name: "policy.\(name)", networkID: networkID, rule: directive.rule))
        default:
            break
        }
    }
}

/// What executing one directive did.
enum DirectiveEffect {
    case none, tagged, evicted
}
