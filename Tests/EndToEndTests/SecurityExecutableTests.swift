import Foundation
import HTTPTestClient
import Testing

private let tools = ["/usr/bin/openssl", "/usr/bin/curl"]
private let toolsPresent = tools.allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }

/// `policyd serve` with a tokens file, with TLS, and its refusals at startup.
@Suite struct SecurityExecutableTests {
    private let adminToken = "e2e-admin-" + UUID().uuidString
    private let readerToken = "e2e-reader-" + UUID().uuidString

    private func tokensFile(in dir: String) throws -> String {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/tokens"
        try "# policyd tokens\nadmin \(adminToken)\n\nreader \(readerToken)\n".write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func withATokensFileV1NeedsABearerTokenAndTokensAreNeverLogged() throws {
        let dir = temporaryPath("policyd-auth")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let tokens = try tokensFile(in: dir)
        let server = try PolicydProcess(
            ["serve", "--port", "0", "--data-dir", dir + "/data"], environment: ["POLICYD_TOKENS_FILE": tokens])
        try server.waitReady()
        let c = try TestConnection(port: server.port)
        let anonymous = try c.exchange("GET", "/v1/networks")
        #expect(anonymous.status == 401)
        #expect(anonymous.header("WWW-Authenticate")?.hasPrefix("Bearer") == true)
        #expect(try c.exchange("GET", "/v1/networks", headers: ["Authorization: Bearer not-a-token-at-all"]).status == 401)
        let admin = ["Authorization: Bearer \(adminToken)"]
        let reader = ["Authorization: Bearer \(readerToken)"]
        #expect(try c.json("PUT", "/v1/networks/7/policy", sshPolicy, headers: reader).status == 403)
        #expect(try c.json("PUT", "/v1/networks/7/policy", sshPolicy, headers: admin).status == 201)
        #expect(try c.exchange("GET", "/v1/networks/7/runner", headers: reader).status == 200)
        #expect(try c.json("POST", "/v1/networks/7/decisions", #"{"event":"connect","port":22}"#, headers: reader).status == 200)
        for open in ["/healthz", "/readyz", "/metrics"] { #expect(try c.exchange("GET", open).status == 200) }
        server.signal(SIGTERM)
        #expect(server.waitExit() == 0)
        let log = server.output
        #expect(log.contains("bearer token authentication on /v1"))
        #expect(!log.contains(adminToken) && !log.contains(readerToken), "a token was logged")
        #expect(!log.contains("WITHOUT authentication"))
    }

    @Test func aMalformedTokensFileIsAStartupError() throws {
        let dir = temporaryPath("policyd-badtokens")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "admin \(adminToken)\nsuperuser \(readerToken)\n".write(toFile: dir + "/tokens", atomically: true, encoding: .utf8)
        let r = try runCapturingStderr(
            policydExecutable, ["serve", "--port", "0", "--data-dir", dir + "/data", "--tokens-file", dir + "/tokens"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("line 2: unknown role (expected admin or reader)"))
        #expect(!r.stderr.contains(readerToken))
        let missing = try runCapturingStderr(
            policydExecutable, ["serve", "--port", "0", "--data-dir", dir + "/data", "--tokens-file", dir + "/nope"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("cannot read --tokens-file"))
    }

    @Test func withoutTokensANonLoopbackAddressIsRefusedUnlessAllowed() throws {
        let dir = temporaryPath("policyd-open")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Never actually bound here: the refusal comes first.
        let refused = try runCapturingStderr(policydExecutable, ["serve", "--host", "0.0.0.0", "--port", "0", "--data-dir", dir])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("refusing to serve /v1 without authentication on 0.0.0.0"))
        // Allowed: it gets as far as binding (192.0.2.1 is TEST-NET-1, not on this machine, so the bind fails).
        let allowed = try runCapturingStderr(
            policydExecutable, ["serve", "--host", "192.0.2.1", "--port", "0", "--data-dir", dir],
            environment: ["POLICYD_ALLOW_UNAUTHENTICATED": "true"])
        #expect(allowed.status != 0)
        #expect(!allowed.stderr.contains("refusing"))
        #expect(allowed.stderr.contains("WITHOUT authentication"))
        #expect(allowed.stderr.contains("cannot start the HTTP server"))
    }

    @Test func onLoopbackWithoutTokensItServesAndWarns() throws {
        let dir = temporaryPath("policyd-warn")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let server = try PolicydProcess(["serve", "--port", "0", "--data-dir", dir])
        try server.waitReady()
        #expect(try fetch(server.port, "GET", "/v1/networks").status == 200)
        #expect(server.output.contains("serving /v1 WITHOUT authentication"))
        server.signal(SIGTERM)
        #expect(server.waitExit() == 0)
    }

    @Test(.enabled(if: toolsPresent, "needs openssl and curl in /usr/bin"))
    func httpsWithASelfSignedCertificate() throws {
        let dir = temporaryPath("policyd-tls")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let tokens = try tokensFile(in: dir)
        let key = dir + "/key.pem"
        let certificate = dir + "/cert.pem"
        let generated = try run(
            "/usr/bin/openssl",
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-days", "1",
                "-keyout", key, "-out", certificate,
            ])
        try #require(generated.status == 0, "openssl could not make a self-signed pair")

        let server = try PolicydProcess(
            ["serve", "--port", "0", "--data-dir", dir + "/data", "--tls-cert", certificate, "--tokens-file", tokens],
            environment: ["POLICYD_TLS_KEY": key])
        #expect(server.output.contains("tls=true"))
        let base = "https://127.0.0.1:\(server.port)"
        var ready = false
        for _ in 0..<200 where !ready {
            ready = (try? run("/usr/bin/curl", ["-sk", "--max-time", "2", base + "/readyz"]).output.contains("ready")) ?? false
            if !ready { Thread.sleep(forTimeInterval: 0.05) }
        }
        #expect(ready)
        let put = try run(
            "/usr/bin/curl",
            [
                "-sk", "--max-time", "5", "-o", "/dev/null", "-w", "%{http_code}", "-X", "PUT", "-H", "Authorization: Bearer \(adminToken)",
                "-H", "Content-Type: application/json", "--data-binary", sshPolicy, base + "/v1/networks/3/policy",
            ])
        #expect(put.output == "201")
        let anonymous = try run(
            "/usr/bin/curl", ["-sk", "--max-time", "5", "-o", "/dev/null", "-w", "%{http_code}", base + "/v1/networks"])
        #expect(anonymous.output == "401")
        let runner = try run(
            "/usr/bin/curl", ["-sk", "--max-time", "5", "-H", "Authorization: Bearer \(readerToken)", base + "/v1/networks/3/runner"])
        #expect(runner.output.contains(#""network_id":3"#))
        // Without -k the self-signed certificate is not trusted; plain HTTP gets no HTTP answer.
        #expect(try run("/usr/bin/curl", ["-s", "--max-time", "5", base + "/healthz"]).status != 0)
        #expect(try run("/usr/bin/curl", ["-s", "--max-time", "5", "http://127.0.0.1:\(server.port)/healthz"]).status != 0)
        server.signal(SIGTERM)
        #expect(server.waitExit() == 0)
    }

    @Test func aCertificateWithoutAKeyIsAStartupError() throws {
        let dir = temporaryPath("policyd-tlsbad")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try runCapturingStderr(policydExecutable, ["serve", "--port", "0", "--data-dir", dir, "--tls-cert", "/etc/hostname"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("--tls-cert and --tls-key must be given together"))
    }
}
