import Foundation
import PolicyAPI
import PolicyLanguage
import Testing

@Suite struct DecisionJSONTests {
    private func json(_ decision: GateDecision, networkID: Int = 7, generation: Int = 3) -> String {
        var writer = JSONWriter()
        decision.write(to: &writer, networkID: networkID, generation: generation)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    @Test func writesTheAPIShape() {
        let decision = GateDecision(
            verdict: .allow, rule: "ops-ssh",
            directives: [
                Directive(type: .tag, rule: "tag-ops", params: .tag(add: ["seen"], remove: [])),
                Directive(type: .allow, rule: "ops-ssh", params: .none),
            ])
        #expect(
            json(decision)
                == #"{"network_id":7,"generation":3,"verdict":"allow","rule":"ops-ssh","directives":[{"type":"tag","rule":"tag-ops"},{"type":"allow","rule":"ops-ssh"}]}"#
        )
    }

    @Test func includesTheErrorOnlyWhenEvaluationFailed() {
        let failed = GateDecision(
            verdict: .deny, rule: "r", directives: [], error: EvaluationError(message: "integer divide by zero", line: 1, column: 6))
        #expect(
            json(failed, networkID: 0, generation: 0)
                == #"{"network_id":0,"generation":0,"verdict":"deny","rule":"r","directives":[],"error":"integer divide by zero (1:6)"}"#)
        let byDefault = GateDecision(verdict: .deny, rule: GateDecision.defaultRule, directives: [])
        #expect(!json(byDefault).contains("error"))
        #expect(json(byDefault).contains(#""rule":"_default""#))
    }

    /// The guide's `policyd eval` example (docs/policy-language.md) is what this encoder writes.
    @Test func theGuidesEvalExampleOutput() throws {
        let docs = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs")
        let data = try Data(contentsOf: docs.appendingPathComponent("examples").appendingPathComponent("ops-access.json"))
        let policy = try CompiledPolicy(parsing: Array(data))
        var request = EvalContext()
        request.port = 22
        request.peerTags = ["ops"]
        request.networkID = 7
        var writer = JSONWriter()
        policy.decide(.connect, context: request).write(to: &writer, networkID: 7, generation: 0)
        let output = String(decoding: writer.bytes, as: UTF8.self)
        let guide = try String(contentsOf: docs.appendingPathComponent("policy-language.md"), encoding: .utf8)
        #expect(guide.contains("# " + output + "\n"))
    }
}
