/// A gate verdict.
public enum Verdict: String, Sendable, Hashable {
    case allow, deny
}

/// `config` of a policy document.
public struct PolicyConfig: Sendable, Equatable {
    /// `cycle` as written (Go duration syntax), nil when absent.
    public var cycle: String?
    /// `cycle` in seconds (>= 1), nil when absent.
    public var cycleSeconds: Double?
    /// `grace` as written, nil when absent.
    public var grace: String?
    /// `max_peers`, nil when absent.
    public var maxPeers: Int?

    public init(cycle: String? = nil, cycleSeconds: Double? = nil, grace: String? = nil, maxPeers: Int? = nil) {
        self.cycle = cycle
        self.cycleSeconds = cycleSeconds
        self.grace = grace
        self.maxPeers = maxPeers
    }
}

/// The action types of a rule (docs/policy-language.md, "Actions").
public enum ActionType: String, Sendable, Hashable, CaseIterable {
    case allow, deny, evict, tag
    case evictWhere = "evict_where"
    case prune, fill
    case pruneTrust = "prune_trust"
    case fillTrust = "fill_trust"
    case webhook, log
}

/// `by` of a `prune` action.
public enum PruneOrder: String, Sendable, Hashable, CaseIterable {
    case age, activity
}

/// `level` of a `log` action.
public enum LogLevel: String, Sendable, Hashable, CaseIterable {
    case info, warn
}

/// The validated params of an action, by type.
public enum ActionParams: Sendable {
    case none
    case tag(add: [String], remove: [String])
    case evictWhere(CompiledExpression)
    case prune(count: Int, by: PruneOrder)
    case fill(count: Int)
    case pruneTrust(percent: Double, min: Int)
    case fillTrust(target: Int)
    case webhook(event: String)
    case log(message: String, level: LogLevel)
}

/// One validated action of a rule.
public struct Action: Sendable {
    public var type: ActionType
    public var params: ActionParams

    public init(type: ActionType, params: ActionParams) {
        self.type = type
        self.params = params
    }
}

/// One validated rule with its compiled `match`.
public struct Rule: Sendable {
    public var name: String
    public var on: EventKind
    public var match: CompiledExpression
    public var actions: [Action]

    public init(name: String, on: EventKind, match: CompiledExpression, actions: [Action]) {
        self.name = name
        self.on = on
        self.match = match
        self.actions = actions
    }
}

/// A directive: an action a matching rule contributed to an evaluation.
public struct Directive: Sendable {
    public var type: ActionType
    /// The rule that contributed it.
    public var rule: String
    public var params: ActionParams

    public init(type: ActionType, rule: String, params: ActionParams) {
        self.type = type
        self.rule = rule
        self.params = params
    }
}
