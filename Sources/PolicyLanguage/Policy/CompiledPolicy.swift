/// A validated policy document whose every expression is compiled.
public struct CompiledPolicy: Sendable {
    /// The document as parsed.
    public let json: JSONValue
    public let version: Int
    public let defaultVerdict: Verdict
    public let failClosed: Bool
    public let config: PolicyConfig
    public let rules: [Rule]
    /// The rules of each event in document order, with their directives precomputed
    /// (indexed by `EventRules.slot`), so an evaluation only runs expressions.
    let rulesByEvent: [[EventRule]]

    /// Parses, validates (docs/policy-language.md "Validation", all problems collected) and compiles,
    /// within `limits` (JSON nesting, rule count, expression length and nesting).
    public init(parsing bytes: some Collection<UInt8>, limits: PolicyLimits = PolicyLimits()) throws(PolicyLoadError) {
        let json: JSONValue
        do {
            json = try JSONParser(maxDepth: limits.maxJSONDepth).parse(bytes)
        } catch {
            throw .invalidJSON(error)
        }
        try self.init(json: json, limits: limits)
    }

    /// Validates and compiles an already parsed document.
    public init(json: JSONValue, limits: PolicyLimits = PolicyLimits()) throws(PolicyLoadError) {
        // Before any per-rule work, so that a huge rule list costs nothing but this count.
        if case .array(let ruleValues)? = json.field("rules"), ruleValues.count > limits.maxRules {
            throw .invalidPolicy([
                PolicyProblem(
                    rule: nil, field: "rules",
                    message: "\(ruleValues.count) rules, over the limit of \(limits.maxRules) rules per policy")
            ])
        }
        var validator = DocumentValidator()
        let validated = validator.validate(json)
        var problems = validator.problems
        guard let draft = validated else { throw .invalidPolicy(problems) }
        var rules: [Rule] = []
        for ruleDraft in draft.rules {
            if let rule = Self.compile(ruleDraft, limits: limits.expression, problems: &problems) { rules.append(rule) }
        }
        guard problems.isEmpty else { throw .invalidPolicy(problems) }
        self.json = json
        self.version = draft.version
        self.defaultVerdict = draft.defaultVerdict
        self.failClosed = draft.failClosed
        self.config = draft.config
        self.rules = rules
        self.rulesByEvent = EventRule.index(rules)
    }

    /// Step 6: compiles the rule's match for its event and its evict_where matches for
    /// the per-peer scope; nil when the rule had problems before or has some now.
    private static func compile(_ draft: RuleDraft, limits: ExpressionLimits, problems: inout [PolicyProblem]) -> Rule? {
        var match: CompiledExpression?
        if let on = draft.on, let source = draft.match {
            match = compile(source, scope: .event(on), limits: limits, rule: draft.label, field: "match", problems: &problems)
        }
        var actions: [Action] = []
        for action in draft.actions {
            switch action.params {
            case .ready(let params):
                actions.append(Action(type: action.type, params: params))
            case .evictWhere(let source):
                let field = "actions[\(action.index)].params.match"
                if let compiled = compile(source, scope: .evictWhere, limits: limits, rule: draft.label, field: field, problems: &problems)
                {
                    actions.append(Action(type: action.type, params: .evictWhere(compiled)))
                }
            }
        }
        guard let name = draft.name, let on = draft.on, let match, !actions.isEmpty else { return nil }
        return Rule(name: name, on: on, match: match, actions: actions)
    }

    private static func compile(
        _ source: String, scope: ExprScope, limits: ExpressionLimits, rule: String, field: String,
        problems: inout [PolicyProblem]
    ) -> CompiledExpression? {
        do {
            return try CompiledExpression(compiling: source, scope: scope, limits: limits)
        } catch {
            problems.append(PolicyProblem(rule: rule, field: field, message: error.message, line: error.line, column: error.column))
            return nil
        }
    }
}
