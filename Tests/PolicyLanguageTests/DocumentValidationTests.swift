import PolicyLanguage
import Testing

/// Each validation rule of docs/policy-language.md ("Validation") with its own message. These
/// cases check the schema (steps 1-5), so they leave expression compile errors aside.
@Suite struct DocumentValidationTests {
    private static let rule = #"{"name": "r", "on": "connect", "match": "true", "actions": [{"type": "allow"}]}"#

    @Test(arguments: [
        ("[]", "document: must be a JSON object, got an array"),
        ("\"policy\"", "document: must be a JSON object, got a string"),
        ("{}", "version: missing (want 1)"),
        (#"{"version": "1"}"#, "version: must be an integer, got a string"),
        (#"{"version": 1.0}"#, "version: must be an integer, got a number"),
        (#"{"version": 2, "rules": 7}"#, "version: unsupported version 2 (want 1)"),
        (#"{"version": 0}"#, "version: unsupported version 0 (want 1)"),
    ])
    func documentAndVersion(document: String, problem: String) {
        // A document that is not version 1 is not read further: one problem only.
        #expect(schemaProblems(document) == [problem])
    }

    @Test(arguments: [
        (#""default_verdict": "maybe","#, #"default_verdict: must be "allow" or "deny", got "maybe""#),
        (#""default_verdict": "Deny","#, #"default_verdict: must be "allow" or "deny", got "Deny""#),
        (#""default_verdict": 1,"#, "default_verdict: must be a string, got an integer"),
        (#""fail_closed": "yes","#, "fail_closed: must be a boolean, got a string"),
        (#""fail_closed": 0,"#, "fail_closed: must be a boolean, got an integer"),
        (#""config": [],"#, "config: must be an object, got an array"),
        (#""config": {"cycle": 60},"#, #"config.cycle: must be a duration string such as "30s" or "1h", got an integer"#),
        (
            #""config": {"cycle": "1d"},"#,
            #"config.cycle: invalid duration "1d" (Go syntax: a number and a unit ns, us, ms, s, m or h, as in "90s" or "1h30m")"#
        ),
        (#""config": {"cycle": "500ms"},"#, #"config.cycle: must be at least 1s, got "500ms""#),
        (#""config": {"cycle": "-1h"},"#, #"config.cycle: must be at least 1s, got "-1h""#),
        (#""config": {"max_peers": -1},"#, "config.max_peers: must not be negative, got -1"),
        (#""config": {"max_peers": 1.5},"#, "config.max_peers: must be an integer, got a number"),
        (#""config": {"max_peers": "50"},"#, "config.max_peers: must be an integer, got a string"),
        (#""config": {"grace": 300},"#, #"config.grace: must be a duration string such as "30s" or "1h", got an integer"#),
        (
            #""config": {"grace": "5 minutes"},"#,
            #"config.grace: invalid duration "5 minutes" (Go syntax: a number and a unit ns, us, ms, s, m or h, as in "90s" or "1h30m")"#
        ),
        (#""config": {"grace": "-5m"},"#, #"config.grace: must not be negative, got "-5m""#),
    ])
    func documentFields(fields: String, problem: String) {
        #expect(schemaProblems(documentWithRule(Self.rule, extra: fields)) == [problem])
    }

    @Test(arguments: [
        (#"{"version": 1}"#, "rules: missing (at least one rule is required)"),
        (#"{"version": 1, "rules": {}}"#, "rules: must be an array, got an object"),
        (#"{"version": 1, "rules": []}"#, "rules: empty (at least one rule is required)"),
        (#"{"version": 1, "rules": ["r"]}"#, "rules[0]: must be an object, got a string"),
    ])
    func ruleList(document: String, problem: String) {
        #expect(schemaProblems(document) == [problem])
    }

    @Test(arguments: [
        (#"{"on": "connect", "match": "true", "actions": [{"type": "allow"}]}"#, ##"rule "#0" name: missing"##),
        (
            #"{"name": 5, "on": "connect", "match": "true", "actions": [{"type": "allow"}]}"#,
            ##"rule "#0" name: must be a string, got an integer"##
        ),
        (#"{"name": "", "on": "connect", "match": "true", "actions": [{"type": "allow"}]}"#, ##"rule "#0" name: must not be empty"##),
        (
            #"{"name": "r", "match": "true", "actions": [{"type": "allow"}]}"#,
            #"rule "r" on: missing (want one of connect, dial, datagram, cycle, join, leave)"#
        ),
        (
            #"{"name": "r", "on": ["connect"], "match": "true", "actions": [{"type": "allow"}]}"#,
            #"rule "r" on: must be a string, got an array"#
        ),
        (
            #"{"name": "r", "on": "open", "match": "true", "actions": [{"type": "allow"}]}"#,
            #"rule "r" on: unknown event "open" (want one of connect, dial, datagram, cycle, join, leave)"#
        ),
        (#"{"name": "r", "on": "connect", "actions": [{"type": "allow"}]}"#, #"rule "r" match: missing"#),
        (
            #"{"name": "r", "on": "connect", "match": true, "actions": [{"type": "allow"}]}"#,
            #"rule "r" match: must be a string, got a boolean"#
        ),
        (#"{"name": "r", "on": "connect", "match": " \n ", "actions": [{"type": "allow"}]}"#, #"rule "r" match: must not be empty"#),
        (#"{"name": "r", "on": "connect", "match": "true"}"#, #"rule "r" actions: missing (at least one action is required)"#),
        (
            #"{"name": "r", "on": "connect", "match": "true", "actions": {"type": "allow"}}"#,
            #"rule "r" actions: must be an array, got an object"#
        ),
        (#"{"name": "r", "on": "connect", "match": "true", "actions": []}"#, #"rule "r" actions: empty (at least one action is required)"#),
    ])
    func ruleFields(rule: String, problem: String) {
        #expect(schemaProblems(documentWithRule(rule)) == [problem])
    }

    @Test func ruleNamesAreUnique() {
        let other = #"{"name": "s", "on": "dial", "match": "true", "actions": [{"type": "deny"}]}"#
        let document = documentWithRule([Self.rule, other, Self.rule].joined(separator: ", "))
        #expect(schemaProblems(document) == [#"rule "r" name: duplicate name (rule #0 has it too)"#])
    }

    @Test(arguments: [
        (#"["allow"]"#, #"rule "r" actions[0]: must be an object, got a string"#),
        (#"[{"params": {}}]"#, #"rule "r" actions[0].type: missing"#),
        (#"[{"type": 3}]"#, #"rule "r" actions[0].type: must be a string, got an integer"#),
        (
            #"[{"type": "kill"}]"#,
            #"rule "r" actions[0].type: unknown action type "kill" (want one of allow, deny, evict, tag, evict_where, prune, fill, prune_trust, fill_trust, webhook, log)"#
        ),
        (#"[{"type": "allow", "params": []}]"#, #"rule "r" actions[0].params: must be an object, got an array"#),
        (#"[{"type": "tag"}]"#, #"rule "r" actions[0].params: tag needs add or remove"#),
        (
            #"[{"type": "tag", "params": {"add": [], "remove": []}}]"#,
            #"rule "r" actions[0].params: tag needs at least one tag in add or remove"#
        ),
        (#"[{"type": "tag", "params": {"add": "x"}}]"#, #"rule "r" actions[0].params.add: must be an array of strings, got a string"#),
        (
            #"[{"type": "tag", "params": {"remove": {}}}]"#,
            #"rule "r" actions[0].params.remove: must be an array of strings, got an object"#
        ),
        (#"[{"type": "tag", "params": {"add": ["a", 1]}}]"#, #"rule "r" actions[0].params.add[1]: must be a string, got an integer"#),
        (#"[{"type": "evict_where"}]"#, #"rule "r" actions[0].params.match: evict_where needs match"#),
        (#"[{"type": "evict_where", "params": {"match": 5}}]"#, #"rule "r" actions[0].params.match: must be a string, got an integer"#),
        (#"[{"type": "evict_where", "params": {"match": ""}}]"#, #"rule "r" actions[0].params.match: must not be empty"#),
        (#"[{"type": "prune"}]"#, #"rule "r" actions[0].params.count: prune needs count"#),
        (#"[{"type": "prune", "params": {"count": "3"}}]"#, #"rule "r" actions[0].params.count: must be an integer, got a string"#),
        (#"[{"type": "prune", "params": {"count": -1}}]"#, #"rule "r" actions[0].params.count: must not be negative, got -1"#),
        (
            #"[{"type": "prune", "params": {"count": 1, "by": "size"}}]"#,
            #"rule "r" actions[0].params.by: must be "age" or "activity", got "size""#
        ),
        (#"[{"type": "prune", "params": {"count": 1, "by": 1}}]"#, #"rule "r" actions[0].params.by: must be a string, got an integer"#),
        (#"[{"type": "fill", "params": {}}]"#, #"rule "r" actions[0].params.count: fill needs count"#),
        (#"[{"type": "prune_trust", "params": {"min": 1}}]"#, #"rule "r" actions[0].params.percent: prune_trust needs percent"#),
        (
            #"[{"type": "prune_trust", "params": {"percent": "10%", "min": 1}}]"#,
            #"rule "r" actions[0].params.percent: must be a number, got a string"#
        ),
        (
            #"[{"type": "prune_trust", "params": {"percent": 150, "min": 1}}]"#,
            #"rule "r" actions[0].params.percent: must be between 0 and 100, got 150.0"#
        ),
        (#"[{"type": "prune_trust", "params": {"percent": 10}}]"#, #"rule "r" actions[0].params.min: prune_trust needs min"#),
        (#"[{"type": "fill_trust"}]"#, #"rule "r" actions[0].params.target: fill_trust needs target"#),
        (#"[{"type": "webhook"}]"#, #"rule "r" actions[0].params.event: webhook needs event"#),
        (#"[{"type": "webhook", "params": {"event": false}}]"#, #"rule "r" actions[0].params.event: must be a string, got a boolean"#),
        (#"[{"type": "log"}]"#, #"rule "r" actions[0].params.message: log needs message"#),
        (
            #"[{"type": "log", "params": {"message": "hi", "level": "debug"}}]"#,
            #"rule "r" actions[0].params.level: must be "info" or "warn", got "debug""#
        ),
        (#"[{"type": "allow"}, {"type": "deny", "params": 1}]"#, #"rule "r" actions[1].params: must be an object, got an integer"#),
    ])
    func actions(actions: String, problem: String) {
        #expect(schemaProblems(documentWithActions(actions)) == [problem])
    }

    @Test func everyProblemIsCollectedInValidationOrder() {
        let document = """
            {"version": 1, "default_verdict": "maybe", "fail_closed": "no",
             "config": {"cycle": "1d", "max_peers": -5},
             "rules": [
               {"name": "a", "on": "connect", "match": "true", "actions": [{"type": "tag"}]},
               {"on": "nope", "match": "", "actions": []},
               {"name": "a", "on": "join", "match": "true", "actions": [{"type": "fill"}, {"type": "x"}]}
             ]}
            """
        #expect(
            schemaProblems(document) == [
                #"default_verdict: must be "allow" or "deny", got "maybe""#,
                "fail_closed: must be a boolean, got a string",
                ##"rule "#1" name: missing"##,
                ##"rule "#1" on: unknown event "nope" (want one of connect, dial, datagram, cycle, join, leave)"##,
                ##"rule "#1" match: must not be empty"##,
                ##"rule "#1" actions: empty (at least one action is required)"##,
                #"rule "a" name: duplicate name (rule #0 has it too)"#,
                #"rule "a" actions[0].params: tag needs add or remove"#,
                #"rule "a" actions[0].params.count: fill needs count"#,
                #"rule "a" actions[1].type: unknown action type "x" (want one of allow, deny, evict, tag, evict_where, prune, fill, prune_trust, fill_trust, webhook, log)"#,
                #"config.cycle: invalid duration "1d" (Go syntax: a number and a unit ns, us, ms, s, m or h, as in "90s" or "1h30m")"#,
                "config.max_peers: must not be negative, got -5",
            ])
    }

    @Test func problemsCarryRuleAndFieldSeparately() {
        let problems = policyProblems(documentWithActions(#"[{"type": "tag", "params": {"add": [1]}}]"#)).filter { $0.line == nil }
        #expect(problems == [PolicyProblem(rule: "r", field: "actions[0].params.add[0]", message: "must be a string, got an integer")])
    }

    @Test func nonJSONIsInvalidJSONNotInvalidPolicy() {
        #expect(throws: PolicyLoadError.invalidJSON(JSONError(message: "unexpected 'v', expected an object key", offset: 1))) {
            try compilePolicy("{version: 1}")
        }
        #expect(throws: PolicyLoadError.invalidJSON(JSONError(message: "duplicate object key \"version\"", offset: 15))) {
            try compilePolicy(#"{"version": 1, "version": 1}"#)
        }
    }

    @Test func wellFormedDocumentsHaveNoSchemaProblems() {
        let document = """
            {"version": 1, "default_verdict": "deny", "fail_closed": false, "future_field": {"x": 1},
             "config": {"cycle": "1h30m", "grace": "0", "max_peers": 0, "other": true},
             "rules": [{"name": "r", "on": "cycle", "match": "true", "comment": "ignored", "actions": [
               {"type": "allow", "params": {"ignored": 1}}, {"type": "deny"}, {"type": "evict"},
               {"type": "tag", "params": {"add": ["a"]}}, {"type": "tag", "params": {"remove": ["a"], "add": []}},
               {"type": "evict_where", "params": {"match": "true"}},
               {"type": "prune", "params": {"count": 0}}, {"type": "prune", "params": {"count": 2, "by": "activity"}},
               {"type": "fill", "params": {"count": 3}}, {"type": "prune_trust", "params": {"percent": 12.5, "min": 2}},
               {"type": "fill_trust", "params": {"target": 4}}, {"type": "webhook", "params": {"event": "e"}},
               {"type": "log", "params": {"message": "m"}}, {"type": "log", "params": {"message": "m", "level": "warn"}}
             ]}]}
            """
        #expect(schemaProblems(document) == [])
    }

    @Test func nullIsTreatedAsAbsent() {
        let document = documentWithRule(Self.rule, extra: #""default_verdict": null, "fail_closed": null, "config": {"cycle": null},"#)
        #expect(schemaProblems(document) == [])
        #expect(
            schemaProblems(documentWithRule(#"{"name": null, "on": "connect", "match": "true", "actions": [{"type": "allow"}]}"#))
                == [##"rule "#0" name: missing"##])
    }
}
