import Foundation
import HTTPTestClient
import PolicyLanguage
import Testing

extension HeavyEndToEnd {
    /// Every limit flag reaches the server: `policyd serve` with tight limits, each broken one answered
    /// with a 4xx that names it (or, for connections, a closed connection), and the server still serving.
    @Suite struct LimitFlagsTests {
        @Test func tightLimitsFromFlagsAndVariablesAreEnforced() throws {
            let dir = temporaryPath("policyd-limits")
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let server = try PolicydProcess(
                [
                    "serve", "--port", "0", "--data-dir", dir, "--threads", "2", "--max-connections-per-ip", "3",
                    "--connection-timeout", "2", "--max-body-bytes", "2048", "--max-json-depth", "6",
                    "--max-expression-length", "40", "--max-expression-nesting", "5",
                ],
                environment: ["POLICYD_MAX_RULES": "2"])
            try server.waitReady()
            let port = server.port
            func put(_ body: String) throws -> TestResponse {
                try TestConnection(port: port).json("PUT", "/v1/networks/1/policy", body)
            }
            func rule(_ name: String, _ match: String = "port == 22") -> String {
                #"{"name": "\#(name)", "on": "connect", "match": "\#(match)", "actions": [{"type": "allow"}]}"#
            }
            #expect(try put(#"{"version": 1, "rules": [\#(rule("a")), \#(rule("b"))]}"#).status == 201)

            let tooMany = try put(#"{"version": 1, "rules": [\#(rule("a")), \#(rule("b")), \#(rule("c"))]}"#)
            #expect(tooMany.status == 422)
            #expect(tooMany["error"]?["message"]?.stringValue?.contains("3 rules, over the limit of 2") == true)

            let long = try put(#"{"version": 1, "rules": [\#(rule("a", "port == 22 || port == 23 || port == 24 || port == 25"))]}"#)
            #expect(long.status == 422)
            #expect(long["error"]?["message"]?.stringValue?.contains("over the limit of 40") == true)

            let nested = try put(#"{"version": 1, "rules": [\#(rule("a", "((((((port == 22))))))"))]}"#)
            #expect(nested.status == 422)
            #expect(nested["error"]?["message"]?.stringValue?.contains("more than 5 levels") == true)

            let deep = try TestConnection(port: port).json("POST", "/v1/networks/1/decisions", #"{"event":"connect","x":[[[[[[[1]]]]]]]}"#)
            #expect(deep.status == 400)
            #expect(deep["error"]?["message"]?.stringValue?.contains("nesting deeper than 6 levels") == true)

            let big = try TestConnection(port: port).exchange(
                "POST", "/v1/policies/validate", headers: ["Content-Type: application/json"], body: Array(repeating: 0x20, count: 4096))
            #expect(big.status == 413)
            #expect(big["error"]?["message"]?.stringValue?.contains("2048") == true)

            // Three connections from this address are allowed, a fourth is closed unanswered.
            let held = try (0..<3).map { _ in
                let c = try TestConnection(port: port, timeout: 8)
                #expect(try c.exchange("GET", "/healthz").status == 200)
                return c
            }
            let fourth = try TestConnection(port: port, timeout: 2)
            #expect((try? fourth.exchange("GET", "/healthz")) == nil)
            #expect(fourth.isClosedByServer())
            // Silent connections are closed after the 2 s timeout, which frees the slots.
            for c in held { #expect(c.isClosedByServer()) }
            // libmicrohttpd frees a slot just after closing the socket: allow it a moment.
            var served = false
            for _ in 0..<50 where !served {
                served = (try? fetch(port, "GET", "/healthz").status) == 200
                if !served { Thread.sleep(forTimeInterval: 0.1) }
            }
            #expect(served)

            server.signal(SIGTERM)
            #expect(server.waitExit() == 0)
        }

        @Test(arguments: [
            (["--max-rules", "0"], "--max-rules must be 1...100000, got 0"),
            (["--max-expression-nesting", "500"], "--max-expression-nesting must be 4...128, got 500"),
            (["--max-json-depth", "1"], "--max-json-depth must be 2...512, got 1"),
            (["--connection-timeout", "0"], "--connection-timeout must be 1...86400, got 0"),
            (["--header-timeout=-1"], "--header-timeout must be 0...3600, got -1"),
            (["--threads", "4", "--max-connections", "2"], "--max-connections must be 4...65536, got 2"),
        ])
        func anOutOfRangeLimitIsAStartupError(_ flags: [String], _ message: String) throws {
            let dir = temporaryPath("policyd-badlimit")
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let r = try runCapturingStderr(policydExecutable, ["serve", "--port", "0", "--data-dir", dir] + flags)
            #expect(r.status != 0)
            #expect(r.stderr.contains(message), "\(r.stderr)")
        }
    }
}
