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
