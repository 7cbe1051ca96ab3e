import Foundation
import HTTPTestClient
import Testing

/// What `policyd serve` logs at its default level (info) without and with `--access-log`,
/// read from the process's own stderr.
@Suite struct AccessLogTests {
    private let adminToken = "log-admin-" + UUID().uuidString
    private let readerToken = "log-reader-" + UUID().uuidString

    private func tokensFile(in dir: String) throws -> String {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/tokens"
        try "admin \(adminToken)\nreader \(readerToken)\n".write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The `request` line of one answer (metadata is written in key order).
    private func requestLine(_ method: String, _ path: String, _ status: Int) -> String {
        "method=\(method) path=\(path) status=\(status) [PolicyAPI] request"
    }

    @Test func byDefaultWritesSwapsReloadsAuthFailuresAndErrorsAreLoggedButReadsAndDecisionsAreNot() throws {
        let dir = temporaryPath("policyd-log")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let tokens = try tokensFile(in: dir)
        let server = try PolicydProcess(["serve", "--port", "0", "--data-dir", dir + "/data", "--tokens-file", tokens])
        try server.waitReady()
        let admin = ["Authorization: Bearer \(adminToken)"]
        let reader = ["Authorization: Bearer \(readerToken)"]
        let c = try TestConnection(port: server.port)

        #expect(try c.json("PUT", "/v1/networks/7/policy", sshPolicy, headers: admin).status == 201)
        #expect(try c.exchange("GET", "/v1/networks/7/runner", headers: reader).status == 200)
        #expect(try c.json("POST", "/v1/networks/7/decisions", #"{"event":"connect","port":22}"#, headers: reader).status == 200)
        #expect(try c.exchange("GET", "/v1/networks", headers: reader).status == 200)
        #expect(try c.exchange("GET", "/healthz").status == 200)
        #expect(try c.exchange("POST", "/v1/networks/7/reload", headers: admin).status == 200)
        #expect(try c.exchange("POST", "/v1/reload?force=true", headers: admin).status == 200)
        #expect(try c.exchange("GET", "/v1/networks").status == 401)
        #expect(try c.json("PUT", "/v1/networks/7/policy", sshPolicy, headers: reader).status == 403)
        let broken = #"{"version":1,"rules":[{"name":"x","on":"connect","match":"prot == 22","actions":[{"type":"allow"}]}]}"#
        #expect(try c.json("PUT", "/v1/networks/7/policy", broken, headers: admin).status == 422)
        #expect(try c.json("POST", "/v1/networks/9/decisions", #"{"event":"connect"}"#, headers: reader).status == 404)
        #expect(try c.exchange("DELETE", "/v1/networks/7/policy", headers: admin).status == 204)
        server.signal(SIGHUP)
        #expect(server.waitForLog("reloaded on SIGHUP"))
        server.signal(SIGTERM)
        #expect(server.waitExit() == 0)

        let log = server.output
        #expect(log.contains("access_log=false"))
        // Every write, swap and reload.
        #expect(log.contains(requestLine("PUT", "/v1/networks/7/policy", 201)))
        #expect(log.contains("network=7 new_generation=1 old_generation=none reason=put"))
        #expect(log.contains(requestLine("POST", "/v1/networks/7/reload", 200)))
        #expect(log.contains("network=7 new_generation=2 old_generation=1 reason=reload"))
        #expect(log.contains(requestLine("POST", "/v1/reload", 200)))
        #expect(log.contains("network=7 new_generation=3 old_generation=2 reason=reload-all"))
        #expect(log.contains(requestLine("DELETE", "/v1/networks/7/policy", 204)))
        #expect(log.contains("policy removed"))
        // Every authentication or authorization failure and every error answer.
        #expect(log.contains(requestLine("GET", "/v1/networks", 401)))
        #expect(log.contains(requestLine("PUT", "/v1/networks/7/policy", 403)))
        #expect(log.contains(requestLine("PUT", "/v1/networks/7/policy", 422)))
        #expect(log.contains(requestLine("POST", "/v1/networks/9/decisions", 404)))
        // Successful reads and decisions are the request rate: no line each.
        #expect(!log.contains(requestLine("GET", "/v1/networks/7/runner", 200)))
        #expect(!log.contains(requestLine("POST", "/v1/networks/7/decisions", 200)))
        #expect(!log.contains(requestLine("GET", "/v1/networks", 200)))
        #expect(!log.contains(requestLine("GET", "/healthz", 200)))
        #expect(!log.contains(adminToken) && !log.contains(readerToken), "a token was logged")
    }

    @Test(arguments: [(["--access-log"], [:]), ([], ["POLICYD_ACCESS_LOG": "true"])])
    func theAccessLogLogsEveryRequest(flags: [String], environment: [String: String]) throws {
        let dir = temporaryPath("policyd-access-log")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let server = try PolicydProcess(["serve", "--port", "0", "--data-dir", dir] + flags, environment: environment)
        try server.waitReady()
        let c = try TestConnection(port: server.port)
        #expect(try c.json("PUT", "/v1/networks/7/policy", sshPolicy).status == 201)
        #expect(try c.exchange("GET", "/v1/networks/7/runner").status == 200)
        #expect(try c.json("POST", "/v1/networks/7/decisions", #"{"event":"connect","port":22}"#).status == 200)
        #expect(try c.exchange("GET", "/healthz").status == 200)
        server.signal(SIGTERM)
        #expect(server.waitExit() == 0)
        let log = server.output
        #expect(log.contains("access_log=true"))
        #expect(log.contains(requestLine("PUT", "/v1/networks/7/policy", 201)))
        #expect(log.contains(requestLine("GET", "/v1/networks/7/runner", 200)))
        #expect(log.contains(requestLine("POST", "/v1/networks/7/decisions", 200)))
        #expect(log.contains(requestLine("GET", "/healthz", 200)))
    }
}
