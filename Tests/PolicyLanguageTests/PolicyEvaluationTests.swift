import PolicyLanguage
import Testing

/// Evaluation semantics (docs/policy-language.md, "Evaluation"). These need the expression compiler.
@Suite struct PolicyEvaluationTests {
    private static let gatePolicy = """
        {"version": 1, "default_verdict": "deny", "rules": [
          {"name": "tag-ops", "on": "connect", "match": "has_tag(peer_tags, 'ops')",
           "actions": [{"type": "tag", "params": {"add": ["seen-ops"]}}, {"type": "log", "params": {"message": "ops"}}]},
          {"name": "ssh", "on": "connect", "match": "port == 22", "actions": [{"type": "allow"}]},
          {"name": "dial-deny", "on": "dial", "match": "true", "actions": [{"type": "deny"}]},
          {"name": "web", "on": "connect", "match": "port == 443", "actions": [{"type": "webhook", "params": {"event": "web"}}, {"type": "deny"}, {"type": "allow"}]},
          {"name": "high", "on": "connect", "match": "port > 1024", "actions": [{"type": "tag", "params": {"add": ["high"]}}]}
        ]}
        """

    private func summary(_ directives: [Directive]) -> [String] {
        directives.map { "\($0.rule):\($0.type.rawValue)" }
    }

    @Test func theFirstMatchingRuleWithAVerdictDecides() throws {
        let policy = try compilePolicy(Self.gatePolicy)
        let decision = policy.decide(.connect, context: context(port: 22))
        #expect(decision.verdict == .allow)
        #expect(decision.rule == "ssh")
        #expect(summary(decision.directives) == ["ssh:allow"])
        #expect(decision.error == nil)
    }

    @Test func aLoneDecidingRuleSharesItsPrecomputedDirectives() throws {
        let policy = try compilePolicy(Self.gatePolicy)
        let first = policy.decide(.connect, context: context(port: 22))
        let second = policy.decide(.connect, context: context(port: 22, peerID: 9))
        let storage = { (directives: [Directive]) in directives.withUnsafeBufferPointer { $0.baseAddress } }
        #expect(storage(first.directives) == storage(second.directives))
    }

    @Test func directivesOfEveryMatchingRuleUpToTheDeciderAreReturned() throws {
        let policy = try compilePolicy(Self.gatePolicy)
        let decision = policy.decide(.connect, context: context(port: 22, peerTags: ["ops"]))
        #expect(decision.verdict == .allow)
        #expect(decision.rule == "ssh")
        #expect(summary(decision.directives) == ["tag-ops:tag", "tag-ops:log", "ssh:allow"])
    }

    @Test func theFirstOfAllowAndDenyInsideTheDecidingRuleWins() throws {
        let policy = try compilePolicy(Self.gatePolicy)
        let decision = policy.decide(.connect, context: context(port: 443))
        #expect(decision.verdict == .deny)
        #expect(decision.rule == "web")
        #expect(summary(decision.directives) == ["web:webhook", "web:deny", "web:allow"])
    }

    @Test func withoutADecidingRuleTheDefaultVerdictAppliesAfterTheSideEffects() throws {
        let policy = try compilePolicy(Self.gatePolicy)
        let decision = policy.decide(.connect, context: context(port: 8080, peerTags: ["ops"]))
        #expect(decision.verdict == .deny)
        #expect(decision.rule == "_default")
        #expect(summary(decision.directives) == ["tag-ops:tag", "tag-ops:log", "high:tag"])
        let nothing = policy.decide(.connect, context: context(port: 80))
        #expect(nothing.rule == "_default")
        #expect(nothing.directives.isEmpty)
    }

    @Test func anAbsentDefaultVerdictMeansAllow() throws {
        let policy = try compilePolicy(
            documentWithRule(#"{"name": "r", "on": "connect", "match": "port == 1", "actions": [{"type": "deny"}]}"#))
        #expect(policy.defaultVerdict == .allow)
        #expect(policy.decide(.connect, context: context(port: 2)).verdict == .allow)
        #expect(policy.decide(.connect, context: context(port: 1)).verdict == .deny)
    }

    @Test func onlyTheRulesOfTheEventRun() throws {
        let policy = try compilePolicy(Self.gatePolicy)
        #expect(policy.decide(.dial, context: context(port: 22)).rule == "dial-deny")
        let datagram = policy.decide(.datagram, context: context(port: 22))
        #expect(datagram.rule == "_default")
        #expect(datagram.directives.isEmpty)
    }

    private static let failingPolicy = """
        {"version": 1, %FAIL% "rules": [
          {"name": "tag-all", "on": "connect", "match": "true", "actions": [{"type": "tag", "params": {"add": ["x"]}}]},
          {"name": "ssh", "on": "connect", "match": "port == 22", "actions": [{"type": "allow"}]},
          {"name": "divide", "on": "connect", "match": "port % members == 0", "actions": [{"type": "deny"}]}
        ]}
        """

    @Test func aRuntimeErrorDeniesWhenFailClosed() throws {
        let policy = try compilePolicy(Self.failingPolicy.replacing("%FAIL%", with: ""))
        #expect(policy.failClosed)
        let decision = policy.decide(.connect, context: context(port: 80, members: 0))
        #expect(decision.verdict == .deny)
        #expect(decision.rule == "divide")
        #expect(decision.directives.isEmpty)
        #expect(decision.error != nil)
    }

    @Test func aRuntimeErrorAllowsWhenFailOpen() throws {
        let policy = try compilePolicy(Self.failingPolicy.replacing("%FAIL%", with: #""fail_closed": false,"#))
        #expect(!policy.failClosed)
        let decision = policy.decide(.connect, context: context(port: 80, members: 0))
        #expect(decision.verdict == .allow)
        #expect(decision.rule == "divide")
        #expect(decision.directives.isEmpty)
        #expect(decision.error != nil)
    }

    @Test func rulesAfterTheDeciderAreNotEvaluated() throws {
        let policy = try compilePolicy(Self.failingPolicy.replacing("%FAIL%", with: ""))
        let decision = policy.decide(.connect, context: context(port: 22, members: 0))
        #expect(decision.verdict == .allow)
        #expect(decision.error == nil)
        // A match that does not fail is just evaluated.
        #expect(policy.decide(.connect, context: context(port: 80, members: 3)).rule == "_default")
        #expect(policy.decide(.connect, context: context(port: 81, members: 3)).rule == "divide")
    }

    private static let joinPolicy = """
        {"version": 1, "rules": [
          {"name": "big", "on": "join", "match": "members > 10", "actions": [{"type": "tag", "params": {"add": ["probation"]}}]},
          {"name": "odd", "on": "join", "match": "peer_id % 2 == 1", "actions": [{"type": "log", "params": {"message": "odd"}}, {"type": "deny"}]},
          {"name": "every", "on": "join", "match": "true", "actions": [{"type": "webhook", "params": {"event": "joined"}}]},
          {"name": "ratio", "on": "leave", "match": "peer_id % network_id == 0", "actions": [{"type": "log", "params": {"message": "left"}}]},
          {"name": "later", "on": "leave", "match": "true", "actions": [{"type": "evict"}]}
        ]}
        """

    @Test func actionEventsRunEveryMatchingRule() throws {
        let policy = try compilePolicy(Self.joinPolicy)
        var join = EvalContext()
        join.members = 11
        join.peerID = 3
        let outcome = policy.evaluateActions(.join, context: join)
        #expect(summary(outcome.directives) == ["big:tag", "odd:log", "odd:deny", "every:webhook"])
        #expect(outcome.error == nil)
        join.members = 2
        join.peerID = 4
        #expect(summary(policy.evaluateActions(.join, context: join).directives) == ["every:webhook"])
    }

    @Test func anActionEventErrorSkipsAllItsDirectives() throws {
        let policy = try compilePolicy(Self.joinPolicy)
        var leave = EvalContext()
        leave.peerID = 4
        leave.networkID = 0
        let failed = policy.evaluateActions(.leave, context: leave)
        #expect(failed.directives.isEmpty)
        #expect(failed.error?.rule == "ratio")
        leave.networkID = 2
        #expect(summary(policy.evaluateActions(.leave, context: leave).directives) == ["ratio:log", "later:evict"])
    }

    @Test func directivesCarryTheirParams() throws {
        let policy = try compilePolicy(
            """
            {"version": 1, "rules": [{"name": "c", "on": "cycle", "match": "true", "actions": [
              {"type": "prune", "params": {"count": 2}}, {"type": "log", "params": {"message": "m", "level": "warn"}},
              {"type": "evict_where", "params": {"match": "has_tag(peer_tags, 'stale') && last_seen < 100.0"}}]}]}
            """)
        let directives = policy.evaluateActions(.cycle, context: EvalContext()).directives
        #expect(directives.count == 3)
        guard case .prune(count: 2, by: .age) = directives[0].params else {
            Issue.record("prune params \(directives[0].params)")
            return
        }
        guard case .log(message: "m", level: .warn) = directives[1].params else {
            Issue.record("log params \(directives[1].params)")
            return
        }
        guard case .evictWhere(let expression) = directives[2].params else {
            Issue.record("evict_where params \(directives[2].params)")
            return
        }
        var peer = EvalContext()
        peer.peerTags = ["stale"]
        peer.lastSeen = 50
        #expect(try expression.evaluate(peer))
        peer.lastSeen = 500
        #expect(try !expression.evaluate(peer))
    }

    @Test func documentFieldsAreKept() throws {
        let text = """
            {"version": 1, "default_verdict": "deny", "fail_closed": false,
             "config": {"cycle": "1h30m", "grace": "5m", "max_peers": 50},
             "rules": [{"name": "r", "on": "connect", "match": "true", "actions": [{"type": "allow"}]}]}
            """
        let policy = try compilePolicy(text)
        #expect(policy.version == 1)
        #expect(policy.defaultVerdict == .deny)
        #expect(!policy.failClosed)
        #expect(policy.config == PolicyConfig(cycle: "1h30m", cycleSeconds: 5400, grace: "5m", maxPeers: 50))
        #expect(policy.rules.map(\.name) == ["r"])
        #expect(policy.rules[0].on == .connect)
        #expect(policy.rules[0].match.source == "true")
        #expect(policy.json == (try parseJSON(text)))
    }
}

/// Step 6: every match compiles for its rule's event and is bool.
@Suite struct ExpressionProblemTests {
    @Test func anUnknownNameIsACompileErrorWithItsPosition() {
        let problems = policyProblems(
            documentWithRule(#"{"name": "ops-ssh", "on": "connect", "match": "port == 22 && prot == 1", "actions": [{"type": "allow"}]}"#))
        #expect(problems.count == 1)
        #expect(problems.first?.rule == "ops-ssh")
        #expect(problems.first?.field == "match")
        #expect(problems.first?.message.contains("unknown name prot") == true)
        #expect(problems.first?.line == 1)
        #expect(problems.first?.column != nil)
    }

    @Test func variablesDependOnTheEvent() {
        // `members` exists for join but not for leave.
        #expect(
            policyProblems(
                documentWithRule(
                    #"{"name": "j", "on": "join", "match": "members > 1", "actions": [{"type": "tag", "params": {"add": ["a"]}}]}"#)
            ).isEmpty)
        let problems = policyProblems(
            documentWithRule(#"{"name": "l", "on": "leave", "match": "members > 1", "actions": [{"type": "evict"}]}"#))
        #expect(problems.map(\.field) == ["match"])
        #expect(problems.first?.message.contains("unknown name members") == true)
    }

    @Test func aMatchMustBeBool() {
        let problems = policyProblems(documentWithRule(#"{"name": "r", "on": "connect", "match": "port", "actions": [{"type": "allow"}]}"#))
        #expect(problems.map(\.field) == ["match"])
        #expect(problems.first?.message.contains("expected bool") == true)
    }

    @Test func evictWhereMatchesUseThePerPeerVariables() {
        #expect(policyProblems(documentWithActions(#"[{"type": "evict_where", "params": {"match": "last_seen < 1.0"}}]"#)).isEmpty)
        let problems = policyProblems(
            documentWithActions(#"[{"type": "allow"}, {"type": "evict_where", "params": {"match": "port == 1"}}]"#))
        #expect(problems.map(\.field) == ["actions[1].params.match"])
        #expect(problems.first?.rule == "r")
        #expect(problems.first?.line == 1)
    }

    @Test func compileErrorsComeAfterSchemaProblemsAndAreAllCollected() {
        let document = """
            {"version": 1, "config": {"cycle": "0s"}, "rules": [
              {"name": "a", "on": "connect", "match": "nope", "actions": [{"type": "allow"}]},
              {"name": "b", "on": "dial", "match": "port ==", "actions": [{"type": "fill"}]}
            ]}
            """
        let problems = policyProblems(document)
        #expect(problems.map { "\($0.rule ?? "-") \($0.field)" } == ["b actions[0].params.count", "- config.cycle", "a match", "b match"])
    }
}
