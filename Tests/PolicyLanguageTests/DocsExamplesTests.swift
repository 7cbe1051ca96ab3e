import Foundation
import PolicyLanguage
import Testing

/// The examples in docs/ compile and decide as the documentation says (needs the expression compiler).
@Suite struct DocsExamplesTests {
    private static let docs = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs")

    private func example(_ name: String) throws -> CompiledPolicy {
        let data = try Data(contentsOf: Self.docs.appendingPathComponent("examples").appendingPathComponent(name))
        return try CompiledPolicy(parsing: Array(data))
    }

    private func summary(_ directives: [Directive]) -> [String] {
        directives.map { "\($0.rule):\($0.type.rawValue)" }
    }

    @Test func everyExampleFileCompiles() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.docs.appendingPathComponent("examples").path)
            .filter { $0.hasSuffix(".json") }.sorted()
        #expect(files == ["datagram-limits.json", "fail-open.json", "fleet-hygiene.json", "ops-access.json"])
        for file in files {
            #expect(throws: Never.self, "\(file)") { _ = try example(file) }
        }
    }

    @Test func everyDocumentInTheGuideCompiles() throws {
        let guide = try String(contentsOf: Self.docs.appendingPathComponent("policy-language.md"), encoding: .utf8)
        let blocks = guide.components(separatedBy: "```json\n").dropFirst().map { $0.components(separatedBy: "```")[0] }
        let documents = blocks.filter { $0.contains("\"rules\"") }
        #expect(documents.count == 1)
        for document in documents {
            #expect(throws: Never.self) { _ = try CompiledPolicy(parsing: Array(document.utf8)) }
        }
    }

    @Test func opsAccess() throws {
        let policy = try example("ops-access.json")
        #expect(policy.config == PolicyConfig(cycle: "1h", cycleSeconds: 3600, grace: "5m", maxPeers: 50))
        let ssh = policy.decide(.connect, context: context(port: 22, peerTags: ["ops"]))
        #expect((ssh.verdict, ssh.rule) == (.allow, "ops-ssh"))
        let stranger = policy.decide(.connect, context: context(port: 22, peerTags: ["dev"]))
        #expect((stranger.verdict, stranger.rule) == (.deny, "_default"))
        #expect(policy.decide(.connect, context: context(port: 443)).rule == "web")
        var join = EvalContext()
        join.members = 11
        #expect(summary(policy.evaluateActions(.join, context: join).directives) == ["tag-new:tag"])
        guard case .evictWhere(let expired)? = policy.evaluateActions(.cycle, context: EvalContext()).directives.first?.params else {
            Issue.record("no evict_where directive")
            return
        }
        var peer = EvalContext()
        peer.peerTags = ["probation"]
        peer.peerAgeS = 25 * 3600
        #expect(try expired.evaluate(peer))
        peer.peerAgeS = 3600
        #expect(try !expired.evaluate(peer))
    }

    @Test func datagramLimits() throws {
        let policy = try example("datagram-limits.json")
        var datagram = EvalContext()
        datagram.direction = "in"
        datagram.size = 1500
        datagram.senderRating = 0.1
        let jumbo = policy.decide(.datagram, context: datagram)
        #expect((jumbo.verdict, jumbo.rule) == (.deny, "jumbo-in"))
        #expect(summary(jumbo.directives) == ["note-untrusted:tag", "note-untrusted:log", "jumbo-in:deny"])
        datagram.peerTags = ["trusted"]
        datagram.senderRating = 0.9
        let trusted = policy.decide(.datagram, context: datagram)
        #expect((trusted.verdict, trusted.rule) == (.allow, "_default"))
        #expect(trusted.directives.isEmpty)

        var dial = context(port: 22)
        dial.localTags = ["edge"]
        let edge = policy.decide(.dial, context: dial)
        #expect((edge.verdict, edge.rule) == (.deny, "dial-out-edge"))
        #expect(summary(edge.directives) == ["dial-out-edge:webhook", "dial-out-edge:deny"])
        dial.port = 443
        #expect(policy.decide(.dial, context: dial).verdict == .allow)
    }

    @Test func fleetHygiene() throws {
        let policy = try example("fleet-hygiene.json")
        var join = EvalContext()
        join.members = 195
        #expect(
            summary(policy.evaluateActions(.join, context: join).directives)
                == ["welcome:tag", "welcome:webhook", "full:log", "full:deny"])
        var cycle = EvalContext()
        cycle.peerTags = ["new"]
        cycle.peerAgeS = 7200
        #expect(summary(policy.evaluateActions(.cycle, context: cycle).directives) == ["graduate:tag"])
        cycle.peerTags = []
        cycle.peerCount = 160
        #expect(summary(policy.evaluateActions(.cycle, context: cycle).directives) == ["idle:evict_where", "idle:prune"])
        #expect(summary(policy.evaluateActions(.leave, context: EvalContext()).directives) == ["goodbye:log"])
    }

    @Test func failOpen() throws {
        let policy = try example("fail-open.json")
        let failed = policy.decide(.connect, context: context(port: 22, members: 0))
        #expect((failed.verdict, failed.rule) == (.allow, "ports-per-member"))
        #expect(failed.error != nil)
        #expect(policy.decide(.connect, context: context(port: 22, members: 11)).verdict == .allow)
        let denied = policy.decide(.connect, context: context(port: 23, members: 11))
        #expect((denied.verdict, denied.rule, denied.error == nil) == (.deny, "_default", true))
    }
}
