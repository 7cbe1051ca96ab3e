import Foundation
import PolicyLanguage
import Testing

/// One line of Fixtures/expr-cases.jsonl: an expression and the answer expr 1.17 gave.
struct ExprCase: Sendable, CustomStringConvertible {
    enum Expect: Sendable { case result(Bool), compileError, runtimeError }
    var line: Int
    var event: EventKind
    var expr: String
    var context: EvalContext
    var expect: Expect
    var exprMessage: String?

    var description: String { "line \(line) [\(event.rawValue)] \(expr)" }

    static func loadAll() throws -> [ExprCase] {
        let url = try #require(Bundle.module.url(forResource: "expr-cases", withExtension: "jsonl", subdirectory: "Fixtures"))
        let text = try String(contentsOf: url, encoding: .utf8)
        var cases: [ExprCase] = []
        for (i, line) in text.split(separator: "\n").enumerated() {
            let obj = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let eventName = try #require(obj["event"] as? String)
            let event = try #require(EventKind(rawValue: eventName))
            let expect = try #require(obj["expect"] as? [String: Any])
            let e: Expect
            if let r = expect["result"] as? Bool {
                e = .result(r)
            } else if expect["compile_error"] != nil {
                e = .compileError
            } else {
                e = .runtimeError
            }
            let expr = try #require(obj["expr"] as? String)
            cases.append(
                ExprCase(
                    line: i + 1, event: event, expr: expr,
                    context: makeContext(obj["ctx"] as? [String: Any] ?? [:]), expect: e,
                    exprMessage: obj["expr_message"] as? String))
        }
        return cases
    }

    static func makeContext(_ ctx: [String: Any]) -> EvalContext {
        var c = EvalContext()
        func int(_ k: String) -> Int { (ctx[k] as? NSNumber)?.intValue ?? 0 }
        func dbl(_ k: String) -> Double { (ctx[k] as? NSNumber)?.doubleValue ?? 0 }
        c.peerID = int("peer_id")
        c.port = int("port")
        c.networkID = int("network_id")
        c.peerTags = ctx["peer_tags"] as? [String] ?? []
        c.localTags = ctx["local_tags"] as? [String] ?? []
        c.peerAgeS = dbl("peer_age_s")
        c.members = int("members")
        c.senderRating = dbl("sender_rating")
        c.size = int("size")
        c.direction = ctx["direction"] as? String ?? ""
        c.peerCount = int("peer_count")
        c.cycleNum = int("cycle_num")
        c.trustedCount = int("trusted_count")
        c.lastSeen = dbl("last_seen")
        return c
    }

    /// Runs the case; returns a description of the mismatch, or nil when it conforms.
    func check() -> String? {
        let compiled: CompiledExpression
        do {
            compiled = try CompiledExpression(compiling: expr, scope: .event(event))
        } catch {
            guard case .compileError = expect else { return "unexpected compile error: \(error)" }
            if let m = exprMessage {
                let got = error.message.hasPrefix("expected bool") ? error.message : "\(error.message) (\(error.line):\(error.column))"
                if got != m { return "compile error message: got \(got) want \(m)" }
            }
            return nil
        }
        do {
            let r = try compiled.evaluate(context)
            switch expect {
            case .result(let want): return r == want ? nil : "got \(r), want \(want)"
            case .compileError: return "compiled, want compile error (\(exprMessage ?? ""))"
            case .runtimeError: return "got \(r), want runtime error (\(exprMessage ?? ""))"
            }
        } catch {
            guard case .runtimeError = expect else { return "unexpected runtime error: \(error)" }
            if let m = exprMessage, m != error.description {
                return "runtime error message: got \(error.description) want \(m)"
            }
            return nil
        }
    }
}

@Suite struct ExprConformanceTests {
    @Test func fixtureHasAllCases() throws {
        #expect(try ExprCase.loadAll().count == 738)
    }

    /// Every case of the conformance fixture: same result, same compile-time rejection,
    /// same runtime error (and the same message and position where expr gave one).
    @Test func allCasesConform() throws {
        let cases = try ExprCase.loadAll()
        var failures: [String] = []
        for c in cases {
            if let problem = c.check() { failures.append("\(c): \(problem)") }
        }
        for f in failures { Issue.record(Comment(rawValue: f)) }
        #expect(failures.isEmpty, "\(failures.count)/\(cases.count) cases do not conform")
    }
}
