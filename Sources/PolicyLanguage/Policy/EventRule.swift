/// A rule as evaluation needs it: its match, its actions already turned into
/// directives, and the verdict it gives (its first allow or deny) if any.
///
/// A class: a decision reads several fields of each rule it tries, and a struct element
/// of the rule array was copied out whole for that (a retain of each of its references).
final class EventRule: Sendable {
    let name: String
    let match: CompiledExpression
    let directives: [Directive]
    let verdict: Verdict?

    init(_ rule: Rule) {
        name = rule.name
        match = rule.match
        directives = rule.actions.map { Directive(type: $0.type, rule: rule.name, params: $0.params) }
        verdict =
            rule.actions.lazy.compactMap { action -> Verdict? in
                switch action.type {
                case .allow: .allow
                case .deny: .deny
                default: nil
                }
            }.first
    }

    /// The rules of each event, in document order, at `slot(event)`.
    static func index(_ rules: [Rule]) -> [[EventRule]] {
        var byEvent = [[EventRule]](repeating: [], count: EventKind.allCases.count)
        for rule in rules { byEvent[slot(rule.on)].append(EventRule(rule)) }
        return byEvent
    }

    static func slot(_ event: EventKind) -> Int {
        switch event {
        case .connect: 0
        case .dial: 1
        case .datagram: 2
        case .cycle: 3
        case .join: 4
        case .leave: 5
        }
    }
}
