import Foundation
import HTTPTestClient
import PolicyLanguage
import Testing

/// `--shutdown-delay`: on SIGTERM `/readyz` says draining at once while everything else is still
/// served (each response closing its connection), then the drain; a second signal skips the delay.
@Suite struct ShutdownDelayTests {
    static let decision = #"{"event":"connect","peer_id":5,"port":22,"peer_tags":["ops"]}"#

    @Test func duringTheDelayReadyzSaysDrainingAndEverythingElseIsServedWithConnectionClose() throws {
        let dir = temporaryPath("policyd-delay")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Longer than the test: the second signal ends it.
        let server = try PolicydProcess(["serve", "--port", "0", "--data-dir", dir, "--shutdown-delay", "600"])
        try server.waitReady()
        let port = server.port
        #expect(try TestConnection(port: port).json("PUT", "/v1/networks/1/policy", sshPolicy).status == 201)
        let keepAlive = try TestConnection(port: port)
        let ready = try keepAlive.exchange("GET", "/readyz")
        #expect(ready.status == 200)
        #expect(ready.header("Connection")?.lowercased() != "close")

        server.signal(SIGTERM)
        #expect(server.waitForLog("shutting down"))
        // The keep-alive connection opened before the signal: draining, and closed after the answer.
        let readiness = try keepAlive.exchange("GET", "/readyz")
        #expect(readiness.status == 503)
        #expect(readiness["status"]?.stringValue == "draining")
        #expect(readiness.header("Connection")?.lowercased() == "close")
        #expect(keepAlive.isClosedByServer())

        // New connections are still accepted; decisions, writes and reads are served as usual.
        #expect(try TestConnection(port: port).exchange("HEAD", "/readyz").status == 503)
        let served = [
            try TestConnection(port: port).json("POST", "/v1/networks/1/decisions", Self.decision),
            try TestConnection(port: port).json("PUT", "/v1/networks/2/policy", sshPolicy),
            try TestConnection(port: port).json("GET", "/v1/networks"),
            try TestConnection(port: port).json("GET", "/healthz"),
        ]
        #expect(served.map(\.status) == [200, 201, 200, 200])
        #expect(served[0]["verdict"]?.stringValue == "allow")
        #expect(served[2]["networks"]?.arrayValue?.count == 2)
        for response in served { #expect(response.header("Connection")?.lowercased() == "close") }
        server.signal(SIGHUP)
        #expect(server.waitForLog("reloaded on SIGHUP"))

        // A second SIGTERM skips the rest of the delay (600 s): the drain runs and the process exits 0.
        server.signal(SIGTERM)
        #expect(server.waitExit() == 0)
        let log = server.output
        #expect(log.contains("shutdown delay skipped"), "\(log.suffix(600))")
        #expect(!log.contains("shutdown delay over"))
        #expect(log.contains("still_running=0"))
        #expect(FileManager.default.fileExists(atPath: dir + "/policies/2.json"), "the write during the delay was not stored")
    }

    @Test func theDelayFromTheVariableEndsByItselfThenTheServerDrainsAndExits() throws {
        let dir = temporaryPath("policyd-delay-env")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let server = try PolicydProcess(["serve", "--port", "0", "--data-dir", dir], environment: ["POLICYD_SHUTDOWN_DELAY": "1"])
        try server.waitReady()
        server.signal(SIGINT)
        #expect(server.waitExit() == 0)
        let log = server.output
        let order = ["shutdown_delay_s=1", "shutdown delay over", "HTTP server stopped", "[policyd] stopped"].map {
            log.range(of: $0)?.lowerBound
        }
        #expect(order.allSatisfy { $0 != nil }, "\(log.suffix(800))")
        #expect(order.compactMap { $0 } == order.compactMap { $0 }.sorted())
    }

    @Test func theDefaultsSuitALoadBalancerFiveSecondsDelayAndNoPerAddressLimit() throws {
        let dir = temporaryPath("policyd-delay-default")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // An empty variable is no variable: the built-in default applies.
        let server = try PolicydProcess(["serve", "--port", "0", "--data-dir", dir], environment: ["POLICYD_SHUTDOWN_DELAY": ""])
        try server.waitReady()
        // A proxy's pool: every connection from one address, more than the old per-address limit of 64.
        let pool = try (0..<80).map { _ in try TestConnection(port: server.port) }
        for connection in pool { #expect(try connection.exchange("GET", "/healthz").status == 200) }
        server.signal(SIGTERM)
        #expect(server.waitForLog("shutdown_delay_s=5"))
        server.signal(SIGTERM)
        #expect(server.waitExit() == 0)
    }

    @Test(arguments: [
        (["--shutdown-delay", "3601"], [:], "--shutdown-delay must be 0...3600, got 3601"),
        (["--shutdown-delay=-1"], [:], "--shutdown-delay must be 0...3600, got -1"),
        ([], ["POLICYD_SHUTDOWN_DELAY": "soon"], "POLICYD_SHUTDOWN_DELAY=soon is not a valid value"),
    ])
    func aBadDelayIsAUsageError(_ flags: [String], _ environment: [String: String], _ message: String) throws {
        let dir = temporaryPath("policyd-baddelay")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try runCapturingStderr(policydExecutable, ["serve", "--port", "0", "--data-dir", dir] + flags, environment: environment)
        #expect(r.status == 2)
        #expect(r.stderr.contains(message), "\(r.stderr)")
    }
}
