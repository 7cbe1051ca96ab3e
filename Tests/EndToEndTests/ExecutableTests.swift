import Foundation
import HTTPTestClient
import PolicyLanguage
import Testing

/// `policyd serve` as a process: flags, the listening line, readiness, SIGTERM, restart.
@Suite struct ExecutableTests {
    /// Starts the binary and returns it with the port from its "listening" line.
    private func launch(
        dataDir: String, arguments: [String]? = nil, extraEnvironment: [String: String] = [:]
    ) throws -> (Process, Int, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: policydExecutable)
        process.arguments = arguments ?? ["serve", "--port", "0", "--data-dir", dataDir]
        process.environment = ProcessInfo.processInfo.environment.merging(extraEnvironment) { $1 }
        let stderr = Pipe()
        process.standardError = stderr
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        var seen = ""
        let handle = stderr.fileHandleForReading
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            seen += String(decoding: chunk, as: UTF8.self)
            if let line = seen.split(separator: "\n").first(where: { $0.contains("[policyd] listening") }),
                let range = line.range(of: #"port=\d+"#, options: .regularExpression),
                let port = Int(line[range].dropFirst(5))
            {
                return (process, port, stderr)
            }
        }
        process.terminate()
        throw TestClientError(description: "no listening line; stderr so far: \(seen)")
    }

    private func waitReady(_ port: Int) throws -> TestResponse {
        let deadline = Date().addingTimeInterval(10)
        while true {
            if let r = try? fetch(port, "GET", "/readyz"), r.status == 200 { return r }
            if Date() > deadline { throw TestClientError(description: "never ready") }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    @Test func servesStopsOnSIGTERMWithExitZeroAndRestoresOnRestart() throws {
        let dir = NSTemporaryDirectory() + "policyd-exe-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }

        let (first, port, _) = try launch(dataDir: dir)
        #expect(try waitReady(port)["networks"]?.intValue == 0)
        let put = try fetch(port, "PUT", "/v1/networks/12/policy", headers: ["Content-Type: application/json"], body: Array(sshPolicy.utf8))
        #expect(put.status == 201)
        let etag = try #require(put.header("ETag"))
        kill(first.processIdentifier, SIGTERM)
        first.waitUntilExit()
        #expect(first.terminationStatus == 0)

        let (second, port2, _) = try launch(dataDir: dir)
        #expect(try waitReady(port2)["networks"]?.intValue == 1)
        let runner = try fetch(port2, "GET", "/v1/networks/12/runner")
        #expect(runner["etag"]?.stringValue == etag)
        #expect(runner["generation"]?.intValue == 1)
        kill(second.processIdentifier, SIGINT)
        second.waitUntilExit()
        #expect(second.terminationStatus == 0)
    }

    @Test func environmentVariablesConfigureServe() throws {
        let dir = NSTemporaryDirectory() + "policyd-env-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (server, port, _) = try launch(
            dataDir: dir, arguments: ["serve"], extraEnvironment: ["POLICYD_PORT": "0", "POLICYD_DATA_DIR": dir])
        #expect(try waitReady(port).status == 200)
        #expect(FileManager.default.fileExists(atPath: dir + "/policies"))
        kill(server.processIdentifier, SIGTERM)
        server.waitUntilExit()
        #expect(server.terminationStatus == 0)
    }

    @Test func anEnvironmentValueThatDoesNotParseIsAUsageError() throws {
        let dir = NSTemporaryDirectory() + "policyd-env-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: policydExecutable)
        process.arguments = ["serve", "--data-dir", dir]
        process.environment = ["POLICYD_PORT": "not-a-port"]
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus != 0)
    }
}

/// `policyd lint` and `policyd eval` as processes: exit codes and output of the contract.
@Suite struct CommandLineTests {
    private func run(_ arguments: [String], stdin: String? = nil) throws -> (status: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: policydExecutable)
        process.arguments = arguments
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    private func file(_ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "policyd-cli-" + UUID().uuidString + ".json"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func lintExitsZeroForValidAndOneForInvalidPolicies() throws {
        let good = try file(sshPolicy)
        let bad = try file(#"{"version":1,"rules":[{"name":"ops-ssh","on":"connect","match":"port == 22 && prot","actions":[{"type":"allow"}]}]}"#)
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
    }
}
