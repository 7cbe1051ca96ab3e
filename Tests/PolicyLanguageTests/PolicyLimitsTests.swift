import Foundation
import PolicyLanguage
import Testing

/// Every policy limit is a problem naming the limit, never a crash or a hang.
@Suite struct PolicyLimitsTests {
    private func policy(rules: Int, match: String = "port == 22") -> [UInt8] {
        let rule = #"{"name": "r%d", "on": "connect", "match": "MATCH", "actions": [{"type": "allow"}]}"#
            .replacingOccurrences(of: "MATCH", with: match)
        let list = (0..<rules).map { rule.replacingOccurrences(of: "%d", with: "\($0)") }.joined(separator: ",")
        return Array(#"{"version": 1, "rules": [\#(list)]}"#.utf8)
    }

    private func problems(_ bytes: [UInt8], _ limits: PolicyLimits = PolicyLimits()) -> [PolicyProblem] {
        do {
            _ = try CompiledPolicy(parsing: bytes, limits: limits)
            return []
        } catch {
            if case .invalidPolicy(let p) = error { return p }
            return [PolicyProblem(rule: nil, field: "json", message: "\(error)")]
        }
    }

    @Test func moreRulesThanTheLimitIsOneProblemNamingIt() {
        var limits = PolicyLimits()
        limits.maxRules = 3
        #expect(problems(policy(rules: 3), limits).isEmpty)
        let found = problems(policy(rules: 4), limits)
        #expect(found.count == 1)
        #expect(found.first?.field == "rules")
        #expect(found.first?.message == "4 rules, over the limit of 3 rules per policy")
    }

    @Test func aTenThousandRulePolicyIsRejectedByTheDefaultLimit() {
        #expect(problems(policy(rules: 10_000)).first?.message.contains("over the limit of 256") == true)
    }

    @Test func anExpressionLongerThanTheLimitIsRejected() {
        let long = (0..<1000).map { _ in "port == 1" }.joined(separator: " || ")
        let found = problems(policy(rules: 1, match: long))
        #expect(found.first?.field == "match")
        #expect(found.first?.message.contains("over the limit of 4096") == true)
    }

    @Test(arguments: [
        String(repeating: "(", count: 100_000) + "true" + String(repeating: ")", count: 100_000),
        String(repeating: "!", count: 100_000) + "true",
        String(repeating: "(", count: 65) + "true" + String(repeating: ")", count: 65),
    ])
    func deeplyNestedExpressionsAreRejectedNotOverflowed(_ source: String) {
        var limits = PolicyLimits().expression
        limits.maxLength = 1_000_000
        #expect(throws: ExpressionError.self) {
            try CompiledExpression(compiling: source, scope: .event(.connect), limits: limits)
        }
        do {
            _ = try CompiledExpression(compiling: source, scope: .event(.connect), limits: limits)
        } catch {
            #expect(error.message == "expression is too deeply nested (more than 64 levels)")
        }
    }

    @Test func aLongLeftLeaningChainIsBoundedByTheTreeHeight() {
        var limits = PolicyLimits().expression
        limits.maxLength = 1_000_000
        let chain = (0..<20_000).map { _ in "1" }.joined(separator: " + ") + " > 0"
        do {
            _ = try CompiledExpression(compiling: chain, scope: .event(.connect), limits: limits)
            Issue.record("a 20000-term chain compiled")
        } catch {
            #expect(error.message == "expression is too deeply nested (more than 400 levels)")
        }
    }

    @Test func nestingWithinTheLimitCompiles() throws {
        let source = String(repeating: "(", count: 40) + "port == 22" + String(repeating: ")", count: 40)
        #expect(try CompiledExpression(compiling: source, scope: .event(.connect), limits: PolicyLimits().expression).source == source)
    }

    @Test func theNestingLimitIsConfigurableBelowTheParsersCeiling() {
        let source = String(repeating: "(", count: 10) + "port == 22" + String(repeating: ")", count: 10)
        #expect(throws: ExpressionError.self) {
            try CompiledExpression(compiling: source, scope: .event(.connect), limits: ExpressionLimits(maxNesting: 8))
        }
        let deep = String(repeating: "(", count: 200) + "true" + String(repeating: ")", count: 200)
        do {
            _ = try CompiledExpression(compiling: deep, scope: .event(.connect), limits: ExpressionLimits(maxNesting: 100_000))
            Issue.record("compiled")
        } catch {
            #expect(error.message == "expression is too deeply nested (more than 128 levels)")
        }
    }

    @Test func aDeeplyNestedRegexIsAnErrorLikeGo() {
        let pattern = String(repeating: "(", count: 1500) + "a" + String(repeating: ")", count: 1500)
        var limits = PolicyLimits().expression
        limits.maxLength = 10_000
        do {
            _ = try CompiledExpression(compiling: "'a' matches '\(pattern)'", scope: .event(.connect), limits: limits)
            Issue.record("compiled")
        } catch {
            #expect(error.message.contains("expression nests too deeply"))
        }
    }

    @Test func jsonDeeperThanTheLimitIsInvalidJSON() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: PolicyLoadError.self) { try CompiledPolicy(parsing: Array(deep.utf8)) }
        var limits = PolicyLimits()
        limits.maxJSONDepth = 2
        let nested = #"{"version": 1, "config": {"a": {"b": 1}}, "rules": []}"#
        guard case .invalidJSON(let e)? = Self.loadError(Array(nested.utf8), limits) else {
            Issue.record("not a JSON error")
            return
        }
        #expect("\(e)".contains("nesting deeper than 2 levels"))
    }

    static func loadError(_ bytes: [UInt8], _ limits: PolicyLimits) -> PolicyLoadError? {
        do {
            _ = try CompiledPolicy(parsing: bytes, limits: limits)
            return nil
        } catch {
            return error
        }
    }
}
