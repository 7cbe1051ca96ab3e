extension DocumentValidator {
    /// Step 4: each action's type and the params that type needs.
    mutating func readActions(of rule: inout RuleDraft, from ruleValue: JSONValue) {
        guard case .array(let values)? = ruleValue.field("actions") else { return }
        for (index, value) in values.enumerated() {
            let field = "actions[\(index)]"
            guard case .object = value else {
                report(rule.label, field, "must be an object, got \(value.kindDescription)")
                continue
            }
            guard let typeValue = value.field("type") else {
                report(rule.label, field + ".type", "missing")
                continue
            }
            guard let typeName = string(typeValue, rule.label, field + ".type") else { continue }
            guard let type = ActionType(rawValue: typeName) else {
                let known = ActionType.allCases.map(\.rawValue).joined(separator: ", ")
                report(rule.label, field + ".type", "unknown action type \"\(typeName)\" (want one of \(known))")
                continue
            }
            var params = JSONValue.object([])
            if let paramsValue = value.field("params") {
                guard case .object = paramsValue else {
                    report(rule.label, field + ".params", "must be an object, got \(paramsValue.kindDescription)")
                    continue
                }
                params = paramsValue
            }
            var reader = ParamsReader(validator: self, rule: rule.label, field: field + ".params", params: params)
            let draftParams = reader.read(type)
            self = reader.validator
            if let draftParams { rule.actions.append(ActionDraft(index: index, type: type, params: draftParams)) }
        }
    }
}

/// Reads the params of one action, reporting problems through its validator.
private struct ParamsReader {
    var validator: DocumentValidator
    let rule: String
    /// `actions[i].params`
    let field: String
    let params: JSONValue

    mutating func read(_ type: ActionType) -> ActionDraft.Params? {
        switch type {
        case .allow, .deny, .evict:
            return .ready(.none)
        case .tag:
            return readTag()
        case .evictWhere:
            let source = validator.nonEmptyString(params.field("match"), rule, field + ".match", missing: "evict_where needs match")
            return source.map { .evictWhere(source: $0) }
        case .prune:
            let count = validator.count(params.field("count"), rule, field + ".count", missing: "prune needs count")
            let order = readChoice("by", PruneOrder.self, default: .age)
            guard let count, let order else { return nil }
            return .ready(.prune(count: count, by: order))
        case .fill:
            let count = validator.count(params.field("count"), rule, field + ".count", missing: "fill needs count")
            return count.map { .ready(.fill(count: $0)) }
        case .pruneTrust:
            let percent = readPercent()
            let min = validator.count(params.field("min"), rule, field + ".min", missing: "prune_trust needs min")
            guard let percent, let min else { return nil }
            return .ready(.pruneTrust(percent: percent, min: min))
        case .fillTrust:
            let target = validator.count(params.field("target"), rule, field + ".target", missing: "fill_trust needs target")
            return target.map { .ready(.fillTrust(target: $0)) }
        case .webhook:
            let event = validator.nonEmptyString(params.field("event"), rule, field + ".event", missing: "webhook needs event")
            return event.map { .ready(.webhook(event: $0)) }
        case .log:
            let message = validator.nonEmptyString(params.field("message"), rule, field + ".message", missing: "log needs message")
            let level = readChoice("level", LogLevel.self, default: .info)
            guard let message, let level else { return nil }
            return .ready(.log(message: message, level: level))
        }
    }

    private mutating func readTag() -> ActionDraft.Params? {
        let add = readTags("add")
        let remove = readTags("remove")
        guard let add, let remove else { return nil }
        if params.field("add") == nil, params.field("remove") == nil {
            validator.report(rule, field, "tag needs add or remove")
            return nil
        }
        if add.isEmpty, remove.isEmpty {
            validator.report(rule, field, "tag needs at least one tag in add or remove")
            return nil
        }
        return .ready(.tag(add: add, remove: remove))
    }

    /// An optional array of strings (empty when absent), nil after a problem.
    private mutating func readTags(_ key: String) -> [String]? {
        guard let value = params.field(key) else { return [] }
        guard case .array(let elements) = value else {
            validator.report(rule, field + "." + key, "must be an array of strings, got \(value.kindDescription)")
            return nil
        }
        var tags: [String] = []
        for (index, element) in elements.enumerated() {
            guard case .string(let tag) = element else {
                validator.report(rule, field + ".\(key)[\(index)]", "must be a string, got \(element.kindDescription)")
                return nil
            }
            tags.append(tag)
        }
        return tags
    }

    /// `percent` of prune_trust: a number from 0 to 100.
    private mutating func readPercent() -> Double? {
        let percentField = field + ".percent"
        let percent: Double
        switch params.field("percent") {
        case nil:
            validator.report(rule, percentField, "prune_trust needs percent")
            return nil
        case .int(let value)?: percent = Double(value)
        case .double(let value)?: percent = value
        case let value?:
            validator.report(rule, percentField, "must be a number, got \(value.kindDescription)")
            return nil
        }
        guard (0...100).contains(percent) else {
            validator.report(rule, percentField, "must be between 0 and 100, got \(percent)")
            return nil
        }
        return percent
    }

    /// An optional string param limited to the cases of `Choice`.
    private mutating func readChoice<Choice: RawRepresentable & CaseIterable>(
        _ key: String, _: Choice.Type, default defaultValue: Choice
    ) -> Choice? where Choice.RawValue == String {
        guard let value = params.field(key) else { return defaultValue }
        guard let text = validator.string(value, rule, field + "." + key) else { return nil }
        guard let choice = Choice(rawValue: text) else {
            let known = Choice.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: " or ")
            validator.report(rule, field + "." + key, "must be \(known), got \"\(text)\"")
            return nil
        }
        return choice
    }
}
