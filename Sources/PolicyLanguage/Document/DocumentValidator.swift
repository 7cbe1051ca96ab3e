/// Checks a parsed document against schema version 1 (docs/policy-language.md, "Validation"),
/// steps 1 to 5, collecting every problem in validation order. Step 6, compiling the
/// expressions, is `CompiledPolicy`'s.
struct DocumentValidator {
    private(set) var problems: [PolicyProblem] = []

    /// The draft, or nil when the document cannot be read as version 1 at all
    /// (not an object, or another version): then `problems` holds that one problem.
    mutating func validate(_ json: JSONValue) -> DocumentDraft? {
        guard case .object = json else {
            report(nil, "document", "must be a JSON object, got \(json.kindDescription)")
            return nil
        }
        var draft = DocumentDraft()
        guard readVersion(json) else { return nil }
        if let value = json.field("default_verdict"), let text = string(value, nil, "default_verdict") {
            if let verdict = Verdict(rawValue: text) {
                draft.defaultVerdict = verdict
            } else {
                report(nil, "default_verdict", "must be \"allow\" or \"deny\", got \"\(text)\"")
            }
        }
        if let value = json.field("fail_closed") {
            if case .bool(let failClosed) = value {
                draft.failClosed = failClosed
            } else {
                report(nil, "fail_closed", "must be a boolean, got \(value.kindDescription)")
            }
        }
        let ruleValues = readRuleList(json)
        draft.rules = readRules(ruleValues)
        for ruleIndex in draft.rules.indices {
            readActions(of: &draft.rules[ruleIndex], from: ruleValues[ruleIndex])
        }
        if let config = json.field("config") { draft.config = readConfig(config) }
        return draft
    }

    /// Step 1: `version` must be 1; a document of another version is not read further.
    private mutating func readVersion(_ json: JSONValue) -> Bool {
        guard let value = json.field("version") else {
            report(nil, "version", "missing (want 1)")
            return false
        }
        guard case .int(let version) = value else {
            report(nil, "version", "must be an integer, got \(value.kindDescription)")
            return false
        }
        guard version == 1 else {
            report(nil, "version", "unsupported version \(version) (want 1)")
            return false
        }
        return true
    }

    private mutating func readRuleList(_ json: JSONValue) -> [JSONValue] {
        guard let value = json.field("rules") else {
            report(nil, "rules", "missing (at least one rule is required)")
            return []
        }
        guard case .array(let rules) = value else {
            report(nil, "rules", "must be an array, got \(value.kindDescription)")
            return []
        }
        if rules.isEmpty { report(nil, "rules", "empty (at least one rule is required)") }
        return rules
    }

    /// Step 3: each rule's name (unique), on, match and the presence of actions.
    private mutating func readRules(_ values: [JSONValue]) -> [RuleDraft] {
        var firstIndexOfName: [String: Int] = [:]
        var rules: [RuleDraft] = []
        for (index, value) in values.enumerated() {
            var rule = RuleDraft(label: "#\(index)")
            defer { rules.append(rule) }
            guard case .object = value else {
                report(nil, "rules[\(index)]", "must be an object, got \(value.kindDescription)")
                continue
            }
            if let nameValue = value.field("name") {
                if let name = string(nameValue, rule.label, "name") {
                    if name.isEmpty {
                        report(rule.label, "name", "must not be empty")
                    } else if let first = firstIndexOfName[name] {
                        rule.label = name
                        report(name, "name", "duplicate name (rule #\(first) has it too)")
                    } else {
                        rule.label = name
                        rule.name = name
                        firstIndexOfName[name] = index
                    }
                }
            } else {
                report(rule.label, "name", "missing")
            }
            rule.on = readEvent(value, rule.label)
            rule.match = nonEmptyString(value.field("match"), rule.label, "match", missing: "missing")
            readActionList(value, rule.label)
        }
        return rules
    }

    private mutating func readEvent(_ rule: JSONValue, _ label: String) -> EventKind? {
        let events = EventKind.allCases.map(\.rawValue).joined(separator: ", ")
        guard let value = rule.field("on") else {
            report(label, "on", "missing (want one of \(events))")
            return nil
        }
        guard let text = string(value, label, "on") else { return nil }
        guard let event = EventKind(rawValue: text) else {
            report(label, "on", "unknown event \"\(text)\" (want one of \(events))")
            return nil
        }
        return event
    }

    private mutating func readActionList(_ rule: JSONValue, _ label: String) {
        guard let value = rule.field("actions") else {
            report(label, "actions", "missing (at least one action is required)")
            return
        }
        guard case .array(let actions) = value else {
            report(label, "actions", "must be an array, got \(value.kindDescription)")
            return
        }
        if actions.isEmpty { report(label, "actions", "empty (at least one action is required)") }
    }

    // MARK: Reporting and typed reads

    mutating func report(_ rule: String?, _ field: String, _ message: String) {
        problems.append(PolicyProblem(rule: rule, field: field, message: message))
    }

    /// `value` as a string, or a "must be a string" problem.
    mutating func string(_ value: JSONValue, _ rule: String?, _ field: String) -> String? {
        guard case .string(let text) = value else {
            report(rule, field, "must be a string, got \(value.kindDescription)")
            return nil
        }
        return text
    }

    /// A required string with something besides white space in it.
    mutating func nonEmptyString(_ value: JSONValue?, _ rule: String?, _ field: String, missing: String) -> String? {
        guard let value else {
            report(rule, field, missing)
            return nil
        }
        guard let text = string(value, rule, field) else { return nil }
        guard text.contains(where: { !$0.isWhitespace }) else {
            report(rule, field, "must not be empty")
            return nil
        }
        return text
    }

    /// A required integer >= 0.
    mutating func count(_ value: JSONValue?, _ rule: String?, _ field: String, missing: String) -> Int? {
        guard let value else {
            report(rule, field, missing)
            return nil
        }
        guard case .int(let number) = value else {
            report(rule, field, "must be an integer, got \(value.kindDescription)")
            return nil
        }
        guard number >= 0 else {
            report(rule, field, "must not be negative, got \(number)")
            return nil
        }
        return number
    }
}
