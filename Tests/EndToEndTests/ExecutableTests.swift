import Foundation
import HTTPTestClient
import PolicyLanguage
import Testing

/// `policyd serve` as a process: flags, the listening line, readiness, SIGTERM, restart.
@Suite struct ExecutableTests {
    @Test func servesStopsOnSIGTERMWithExitZeroAndRestoresOnRestart() throws {
        let dir = temporaryPath("policyd-exe")
        defer { try? FileManager.default.removeItem(atPath: dir) }

        let first = try PolicydProcess(["serve", "--port", "0", "--data-dir", dir])
        try first.waitReady()
        #expect(try fetch(first.port, "GET", "/readyz")["networks"]?.intValue == 0)
        let put = try fetch(
            first.port, "PUT", "/v1/networks/12/policy", headers: ["Content-Type: application/json"], body: Array(sshPolicy.utf8))
        #expect(put.status == 201)
        let etag = try #require(put.header("ETag"))
        first.signal(SIGTERM)
        #expect(first.waitExit() == 0)

        let second = try PolicydProcess(["serve", "--port", "0", "--data-dir", dir])
        try second.waitReady()
        #expect(try fetch(second.port, "GET", "/readyz")["networks"]?.intValue == 1)
        let runner = try fetch(second.port, "GET", "/v1/networks/12/runner")
        #expect(runner["etag"]?.stringValue == etag)
        #expect(runner["generation"]?.intValue == 1)
        second.signal(SIGINT)
        #expect(second.waitExit() == 0)
    }

    @Test func environmentVariablesConfigureServe() throws {
        let dir = temporaryPath("policyd-env")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let server = try PolicydProcess(["serve"], environment: ["POLICYD_PORT": "0", "POLICYD_DATA_DIR": dir])
        try server.waitReady()
        #expect(server.port != 0 && server.port != 8080)  // POLICYD_PORT=0: a port of the system's choosing
        #expect(FileManager.default.fileExists(atPath: dir + "/policies"))
        server.signal(SIGTERM)
        #expect(server.waitExit() == 0)
    }

    @Test func anEnvironmentValueThatDoesNotParseIsAUsageError() throws {
        let dir = NSTemporaryDirectory() + "policyd-env-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try runCapturingStderr(policydExecutable, ["serve", "--data-dir", dir], environment: ["POLICYD_PORT": "not-a-port"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("environment variable POLICYD_PORT=not-a-port is not a valid value"))
    }
}

/// `policyd lint` and `policyd eval` as processes: exit codes and output of the contract.
@Suite struct CommandLineTests {
    private func run(_ arguments: [String], stdin: String? = nil) throws -> (status: Int32, out: String, err: String) {
        let r = try runProcess(policydExecutable, arguments, stdin: stdin)
        return (r.status, r.stdout, r.stderr)
    }

    private func file(_ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "policyd-cli-" + UUID().uuidString + ".json"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func lintExitsZeroForValidAndOneForInvalidPolicies() throws {
        let good = try file(sshPolicy)
        let bad = try file(
            #"{"version":1,"rules":[{"name":"ops-ssh","on":"connect","match":"port == 22 && prot","actions":[{"type":"allow"}]}]}"#)
        defer { for p in [good, bad] { try? FileManager.default.removeItem(atPath: p) } }
        #expect(try run(["lint", good]).status == 0)
        let r = try run(["lint", good, bad])
        #expect(r.status == 1)
        #expect(r.out.contains(#"rule "ops-ssh" match 1:15: unknown name prot"#))
    }

    @Test func evalPrintsTheDecisionAndExitsTwoOnBadUsage() throws {
        let policy = try file(sshPolicy)
        defer { try? FileManager.default.removeItem(atPath: policy) }
        let r = try run(["eval", "--policy", policy, "--event", "connect"], stdin: #"{"port":22,"peer_tags":["ops"]}"#)
        #expect(r.status == 0)
        let decision = try JSONParser().parse(Array(r.out.utf8))
        #expect(decision["verdict"]?.stringValue == "allow")
        #expect(decision["rule"]?.stringValue == "ops-ssh")
        #expect(try run(["eval", "--policy"]).status == 2)
        #expect(try run(["eval", "--policy", policy, "--event", "cycle"], stdin: "{}").status == 2)
        #expect(try run(["eval", "--policy", policy, "--event", "connect"], stdin: "{nope").status == 2)
        // The API's reader, the API's ranges and messages.
        let outOfRange = try run(["eval", "--policy", policy, "--event", "connect"], stdin: #"{"port":70000}"#)
        #expect(outOfRange.status == 2)
        #expect(outOfRange.err.contains("standard input: port must be in 0...65535"))
    }
}
