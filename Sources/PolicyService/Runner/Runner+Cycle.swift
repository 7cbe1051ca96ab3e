import Dispatch
import Locking
public import PolicyLanguage
import Synchronization

/// A directive a cycle emitted without executing it (fill, prune_trust, fill_trust).
public struct EmittedDirective: Sendable, Equatable {
    public var type: ActionType
    public var rule: String
}

/// What one cycle did.
public struct CycleResult: Sendable, Equatable {
    public var networkID: Int
    public var cycleNum: Int
    /// Peers tracked after the cycle.
    public var peers: Int
    public var evicted = 0
    public var pruned = 0
    public var tagged = 0
    public var emitted: [EmittedDirective] = []
}

extension Runner {
    /// Runs one cycle now, after any cycle in progress; nil when the runner is not running.
    func runCycle() -> CycleResult? {
        cycleQueue.sync { cycleOnQueue() }
    }

    /// One cycle: the per-peer pass (tag, evict for each peer), then the fleet pass
    /// (evict_where, prune, log, webhook; fill, prune_trust, fill_trust are emitted).
    /// Runs on `cycleQueue` only.
    func cycleOnQueue() -> CycleResult? {
        let cycleNum: Int? = control.withLock { c in
            guard c.lifecycle.isRunning else { return nil }
            cyclesInFlight.enter()
            c.cycleNum += 1
            return c.cycleNum
        }
        guard let cycleNum else { return nil }
        defer { cyclesInFlight.leave() }
        let result = cycle(number: cycleNum, in: ActionScope(table: peers))
        environment.peersChanged(networkID, peers)
        return result
    }

    /// Runs `body` as one of this runner's cycles: nil when the runner is not running
    /// (`stop()` waits for a body in progress, and none starts after it).
    func whileRunning<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T? {
        let running = control.withLock { c in
            guard c.lifecycle.isRunning else { return false }
            cyclesInFlight.enter()
            return true
        }
        guard running else { return nil }
        defer { cyclesInFlight.leave() }
        return try body()
    }

    /// Cycle number `cycleNum` on `scope`'s table.
    func cycle(number cycleNum: Int, in scope: ActionScope) -> CycleResult {
        let peers = scope.table
        let now = environment.now()
        var result = CycleResult(networkID: networkID, cycleNum: cycleNum, peers: 0)
        let roster = peers.snapshot()
        var context = baseContext(now: now, table: peers)
        context.peerCount = roster.count
        context.cycleNum = cycleNum
        context.trustedCount = roster.count { $0.memberTags.contains("trusted") || $0.policyTags.contains("trusted") }

        for peer in roster {
            var peerContext = context
            peerContext.peerID = peer.peerID
            peerContext.peerTags = peer.allTags
            peerContext.peerAgeS = max(0, now - peer.addedAt)
            for directive in cycleDirectives(peerContext) where directive.type == .tag || directive.type == .evict {
                switch execute(directive, peerID: peer.peerID, event: .cycle, in: scope) {
                case .tagged: result.tagged += 1
                case .evicted: result.evicted += 1
                case .none: break
                }
            }
        }

        for directive in cycleDirectives(context) {
            switch directive.params {
            case .evictWhere(let match):
                result.evicted += evict(where: match, rule: directive.rule, now: now, from: peers)
            case .prune(let count, let order):
                result.pruned += prune(count, by: order, from: peers)
            case .log, .webhook:
                execute(directive, peerID: 0, event: .cycle, in: scope)
            case .fill, .pruneTrust, .fillTrust:
                result.emitted.append(EmittedDirective(type: directive.type, rule: directive.rule))
            default:
                continue
            }
        }
        result.peers = peers.count
        return result
    }

    /// The directives of the cycle rules for `context`; empty (and counted) on an error.
    private func cycleDirectives(_ context: EvalContext) -> [Directive] {
        let outcome = policy.evaluateActions(.cycle, context: context)
        if let failure = outcome.error {
            counters.actionErrors.add(1, ordering: .relaxed)
            logActionError(.cycle, rule: failure.rule, error: failure.error)
            return []
        }
        return outcome.directives
    }

    /// Evicts every peer for which `match` holds; a peer whose evaluation fails stays.
    private func evict(where match: CompiledExpression, rule: String, now: Double, from peers: PeerTable) -> Int {
        var doomed: [Int] = []
        for peer in peers.snapshot() {
            var context = EvalContext()
            context.now = now
            context.peerID = peer.peerID
            context.peerTags = peer.allTags
            context.peerAgeS = max(0, now - peer.addedAt)
            context.lastSeen = peer.lastSeen
            do {
                if try match.evaluate(context) { doomed.append(peer.peerID) }
            } catch {
                counters.actionErrors.add(1, ordering: .relaxed)
                logActionError(.cycle, rule: rule, error: error)
            }
        }
        return peers.remove(doomed).count
    }

    /// Removes `count` peers: the oldest (by age) or the least recently seen (by activity).
    private func prune(_ count: Int, by order: PruneOrder, from peers: PeerTable) -> Int {
        guard count > 0 else { return 0 }
        let roster = peers.snapshot()
        let ordered: [PeerRecord] =
            switch order {
            case .age: roster
            case .activity: roster.sorted { ($0.lastSeen, $0.peerID) < ($1.lastSeen, $1.peerID) }
            }
        return peers.remove(ordered.prefix(count).map(\.peerID)).count
    }
}
