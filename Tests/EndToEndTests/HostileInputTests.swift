import Foundation
import HTTPTestClient
import MicroHTTP
import PolicyLanguage
import Testing

extension HeavyEndToEnd {
    /// Hostile and malformed input over real sockets: every case gets a clear 4xx (or, where
    /// HTTP leaves no room for an answer, a closed connection), and the server keeps serving.
    @Suite struct HostileInputTests {
        /// Two threads, a 2 s idle timeout (for slow-loris), the default limits.
        private func server() throws -> LiveServer {
            try LiveServer { config in
                config.threads = 2
                config.connectionTimeoutSeconds = 2
                config.headerTimeoutSeconds = 3
            }
        }

        /// The server still answers other clients: health, a policy write and a decision.
        private func expectServing(_ live: LiveServer, _ note: Comment? = nil, timeout: TimeInterval = 5) throws {
            let c = try TestConnection(port: live.port, timeout: timeout)
            #expect(try c.exchange("GET", "/healthz").status == 200, note)
            let put = try c.json("PUT", "/v1/networks/9/policy", sshPolicy)
            #expect(put.status == 201 || put.status == 200, note)
            let decision = try c.json("POST", "/v1/networks/9/decisions", #"{"event":"connect","port":22,"peer_tags":["ops"]}"#)
            #expect(decision["verdict"]?.stringValue == "allow", note)
        }

        private func put(_ live: LiveServer, _ body: [UInt8], network: Int = 5) throws -> TestResponse {
            try live.connect().exchange(
                "PUT", "/v1/networks/\(network)/policy", headers: ["Content-Type: application/json"], body: body)
        }

        private func decide(_ live: LiveServer, _ body: String) throws -> TestResponse {
            try live.connect().json("POST", "/v1/networks/9/decisions", body)
        }

        // MARK: - Bodies

        @Test func invalidUTF8IsInvalidJSON() throws {
            let live = try server()
            try expectServing(live)
            let bad: [UInt8] = Array(#"{"version": 1, "rules": [], "x": ""#.utf8) + [0xFF, 0xFE, 0xC3] + Array(#""}"#.utf8)
            let r = try put(live, bad)
            #expect(r.status == 400)
            #expect(r.errorCode == "invalid_json")
            let overlong = try live.connect().exchange(
                "POST", "/v1/networks/9/decisions", headers: ["Content-Type: application/json"],
                body: Array(#"{"event":"connect","peer_tags":[""#.utf8) + [0xC0, 0xAF] + Array(#""]}"#.utf8))
            #expect(overlong.status == 400)
            #expect(overlong.errorCode == "invalid_json")
            let path = try live.connect().exchange("GET", "/v1/networks/%FF%FE/runner")
            #expect(path.status == 400)
            #expect(path.errorCode == "bad_request")
            try expectServing(live)
        }

        @Test func jsonNestedAHundredThousandDeepIsRefusedAtTheDepthLimit() throws {
            let live = try server()
            let arrays = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
            let r = try put(live, Array(arrays.utf8))
            #expect(r.status == 400)
            #expect(r.errorCode == "invalid_json")
            #expect(r["error"]?["message"]?.stringValue?.contains("nesting deeper than 64 levels") == true)
            let objects = String(repeating: #"{"a":"#, count: 100_000) + "1" + String(repeating: "}", count: 100_000)
            let d = try decide(live, #"{"event":"connect","x":"# + objects + "}")
            #expect(d.status == 400)
            #expect(d.errorCode == "invalid_json")
            try expectServing(live)
        }

        @Test func hugeNumbersAreRejected() throws {
            let live = try server()
            try expectServing(live)
            for version in ["1e999999", "123456789012345678901234567890", "-1e-999999", "1" + String(repeating: "0", count: 100_000)] {
                let r = try put(
                    live,
                    Array(
                        #"{"version": \#(version), "rules": [{"name":"a","on":"connect","match":"true","actions":[{"type":"allow"}]}]}"#
                            .utf8))
                #expect(r.status == 400 || r.status == 422, "version \(version.prefix(20))")
                #expect(["invalid_json", "invalid_policy"].contains(r.errorCode ?? ""))
            }
            for field in [#""port":1e308"#, #""port":99999999999999999999"#, #""peer_id":18446744073709551616"#, #""sender_rating":1e999"#]
            {
                let r = try decide(live, #"{"event":"connect",\#(field)}"#)
                #expect(r.status == 400, "\(field)")
                #expect(["invalid_json", "bad_request"].contains(r.errorCode ?? ""))
            }
            try expectServing(live)
        }

        @Test func duplicateKeysAreInvalidJSON() throws {
            let live = try server()
            try expectServing(live)
            let r = try put(live, Array(#"{"version": 1, "version": 1, "rules": []}"#.utf8))
            #expect(r.status == 400)
            #expect(r.errorCode == "invalid_json")
            #expect(r["error"]?["message"]?.stringValue?.contains("duplicate") == true)
            let d = try decide(live, #"{"event":"connect","event":"dial"}"#)
            #expect(d.status == 400)
            #expect(d.errorCode == "invalid_json")
            try expectServing(live)
        }

        // MARK: - Size

        @Test func aDeclaredFiftyMegabyteBodyIs413BeforeItIsSent() throws {
            let live = try server()
            let c = try live.connect()
            try c.send(
                "PUT /v1/networks/5/policy HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 52428800\r\n\r\n")
            let r = try c.readResponse()
            #expect(r.status == 413)
            #expect(r.errorCode == "payload_too_large")
            #expect(r["error"]?["message"]?.stringValue?.contains("1048576") == true)
            #expect(c.isClosedByServer())
            try expectServing(live)
        }

        @Test func aStreamedFiftyMegabyteBodyIsCutOff() throws {
            let live = try server()
            // Declared, then actually streamed: the 413 comes after the headers and the rest is refused.
            let declared = try live.connect()
            try declared.send("POST /v1/policies/validate HTTP/1.1\r\nHost: x\r\nContent-Length: 52428800\r\n\r\n")
            let chunk = [UInt8](repeating: 0x20, count: 64 * 1024)
            var sent = 0
            while sent < 52_428_800, (try? declared.send(chunk)) != nil { sent += chunk.count }
            #expect(sent < 52_428_800, "the whole 50 MB went in")
            // Chunked, no length: read and dropped up to twice the cap, then the sender is hung up on.
            let chunked = try live.connect()
            try chunked.send("POST /v1/policies/validate HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
            let piece = Array("10000\r\n".utf8) + chunk + Array("\r\n".utf8)
            sent = 0
            while sent < 52_428_800, (try? chunked.send(piece)) != nil { sent += chunk.count }
            #expect(sent < 52_428_800, "the whole 50 MB went in")
            // A chunked body just over the cap, completed: a 413 answer.
            let over = try live.connect()
            try over.send("POST /v1/policies/validate HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
            for _ in 0..<17 { try over.send(piece) }
            try over.send("0\r\n\r\n")
            let r = try over.readResponse()
            #expect(r.status == 413)
            #expect(r.errorCode == "payload_too_large")
            try expectServing(live)
        }

        // MARK: - Connections

        @Test func slowLorisConnectionsDoNotStopOthersAndAreTimedOut() throws {
            let live = try server()
            let request = Array("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: yes\r\n".utf8)
            let slow = try (0..<20).map { _ in try TestConnection(port: live.port, timeout: 8) }
            // Trickle the headers, a byte at a time, while another client is served.
            for (i, byte) in request.prefix(12).enumerated() {
                for c in slow { try c.send([byte]) }
                if i % 3 == 0 { try expectServing(live, "while trickling byte \(i)") }
                Thread.sleep(forTimeInterval: 0.15)
            }
            // Then they stall: each is closed after the 2 s idle timeout, without an answer.
            let stalled = Date()
            for c in slow { #expect(c.isClosedByServer()) }
            #expect(Date().timeIntervalSince(stalled) < 7)
            try expectServing(live)
        }

        @Test func slowLorisConnectionsThatNeverFallSilentAreCutOffAtTheHeaderDeadline() throws {
            let live = try server()
            let slow = try (0..<20).map { _ in try TestConnection(port: live.port, timeout: 10) }
            let started = Date()
            let bytes =
                Array("POST /v1/policies/validate HTTP/1.1\r\nHost: x\r\nX-Slow: ".utf8) + Array(repeating: UInt8(ascii: "z"), count: 400)
            var open = slow.count
            var i = 0
            // A byte for each every 0.5 s: never idle for the 2 s timeout, cut off at the 3 s header deadline.
            while open > 0, i < bytes.count, Date().timeIntervalSince(started) < 12 {
                open = 0
                for c in slow where (try? c.send([bytes[i]])) != nil { open += 1 }
                if i % 4 == 0 { try expectServing(live, "while trickling") }
                i += 1
                Thread.sleep(forTimeInterval: 0.5)
            }
            #expect(open == 0, "\(open) trickling connections still open after \(Date().timeIntervalSince(started)) s")
            try expectServing(live)
        }

        @Test func http10IsServedAndClosed() throws {
            let live = try server()
            let c = try live.connect()
            try c.send("GET /healthz HTTP/1.0\r\n\r\n")
            let r = try c.readResponse()
            #expect(r.status == 200)
            #expect(c.isClosedByServer())
            let body = Array(sshPolicy.utf8)
            let w = try live.connect()
            try w.send(
                Array("PUT /v1/networks/4/policy HTTP/1.0\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\n\r\n".utf8)
                    + body)
            #expect(try w.readResponse().status == 201)
            try expectServing(live)
        }

        @Test(arguments: [
            "GARBAGE\r\n\r\n", "GET /healthz HTTP/9.9\r\nHost: x\r\n\r\n", "GET\r\n\r\n", "\u{1}\u{2}\u{3} / HTTP/1.1\r\n\r\n",
        ])
        func malformedRequestLinesGetAnErrorOrAClose(_ raw: String) throws {
            let live = try server()
            let c = try live.connect()
            try c.send(raw)
            if let r = try? c.readResponse() {
                #expect((400..<600).contains(r.status) && r.status != 500, "\(r.status)")
                if raw.contains("HTTP/9.9") { #expect(r.status == 505) }
            } else {
                #expect(c.isClosedByServer(), "neither an answer nor a close")
            }
            try expectServing(live)
        }

        @Test func pipelinedRequestsAreAnsweredInOrder() throws {
            let live = try server()
            let body = Array(sshPolicy.utf8)
            let decision = Array(#"{"event":"connect","port":22,"peer_tags":["ops"]}"#.utf8)
            var burst = Array("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
            burst += Array("PUT /v1/networks/3/policy HTTP/1.1\r\nHost: x\r\nContent-Length: \(body.count)\r\n\r\n".utf8) + body
            burst += Array("POST /v1/networks/3/decisions HTTP/1.1\r\nHost: x\r\nContent-Length: \(decision.count)\r\n\r\n".utf8) + decision
            burst += Array("GET /v1/networks/3/nothing HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
            burst += Array("GET /v1/networks/3/runner HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
            let c = try live.connect()
            try c.send(burst)
            #expect(try c.readResponse().status == 200)
            #expect(try c.readResponse().status == 201)
            #expect(try c.readResponse()["verdict"]?.stringValue == "allow")
            #expect(try c.readResponse().status == 404)
            #expect(try c.readResponse()["network_id"]?.intValue == 3)
            try expectServing(live)
        }

        @Test func chunkedBodiesAreAssembled() throws {
            let live = try server()
            let body = Array(sshPolicy.utf8)
            let c = try live.connect()
            try c.send(
                "PUT /v1/networks/6/policy HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
            var offset = 0
            while offset < body.count {
                let piece = body[offset..<min(body.count, offset + 37)]
                try c.send(Array(String(piece.count, radix: 16).utf8) + [13, 10] + piece + [13, 10])
                offset += piece.count
            }
            try c.send("0\r\n\r\n")
            #expect(try c.readResponse().status == 201)
            #expect(try c.exchange("GET", "/v1/networks/6/policy").body == body)
            // A broken chunk size is not a request.
            let broken = try live.connect()
            try broken.send("POST /v1/policies/validate HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n")
            #expect(try broken.readResponse().status == 400)
            try expectServing(live)
        }

        // MARK: - Expressions

        @Test func deeplyNestedAndOverlongExpressionsAre422NamingTheLimit() throws {
            let live = try server()
            func policy(_ match: String) -> [UInt8] {
                Array(
                    #"{"version": 1, "rules": [{"name": "deep", "on": "connect", "match": "\#(match)", "actions": [{"type": "allow"}]}]}"#
                        .utf8)
            }
            let cases: [(String, String)] = [
                (
                    String(repeating: "(", count: 2000) + "true" + String(repeating: ")", count: 2000),
                    "too deeply nested (more than 64 levels)"
                ),
                (String(repeating: "!", count: 4000) + "true", "too deeply nested (more than 64 levels)"),
                ((0..<1500).map { _ in "1" }.joined(separator: "+") + " > 0", "too deeply nested (more than 400 levels)"),
                (String(repeating: "(", count: 100_000) + "true" + String(repeating: ")", count: 100_000), "over the limit of 4096"),
            ]
            for (match, message) in cases {
                let r = try put(live, policy(match))
                #expect(r.status == 422)
                #expect(r.errorCode == "invalid_policy")
                #expect(r["error"]?["message"]?.stringValue?.contains(message) == true, "\(r.text.prefix(200))")
            }
            let rule = #"{"name": "r", "on": "connect", "match": "true", "actions": [{"type": "allow"}]}"#
            let many = Array(#"{"version": 1, "rules": [\#(Array(repeating: rule, count: 10_000).joined(separator: ","))]}"#.utf8)
            let r = try put(live, many)
            #expect(r.status == 422)
            #expect(r["error"]?["message"]?.stringValue?.contains("10000 rules, over the limit of 256") == true)
            try expectServing(live)
        }

        @Test func slowExpressionsAreCutOffAndOthersAreStillServed() throws {
            // The default 30 s idle timeout: libmicrohttpd counts a connection's wait for a busy pool thread as idle time.
            let live = try LiveServer { $0.threads = 2 }
            #expect(try put(live, Array(slowPolicy.utf8), network: 8).status == 201)
            let answers = Answers()
            let workers = Workers()
            let port = live.port
            for i in 0..<6 {
                workers.spawn {
                    let request = slowDecision(i % 2 == 0 ? "connect" : "dial")
                    answers.add(try? TestConnection(port: port, timeout: 15).json("POST", "/v1/networks/8/decisions", request))
                }
            }
            // Generous: both pool threads may be busy evaluating when this arrives.
            try expectServing(live, "while slow decisions run", timeout: 30)
            #expect(workers.wait(timeout: 20))
            #expect(answers.all.count == 6)
            for r in answers.all {
                #expect(r?.status == 200)
                // Fail closed: the evaluation error is reported and the verdict is deny.
                #expect(r?["verdict"]?.stringValue == "deny")
                #expect(r?["error"]?.stringValue?.contains("time budget of 100ms") == true, "\(r?.text.prefix(300) ?? "no answer")")
            }
            try expectServing(live)
        }
    }
}

/// Responses collected from several threads.
final class Answers: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [TestResponse?] = []
    func add(_ r: TestResponse?) { lock.withLock { items.append(r) } }
    var all: [TestResponse?] { lock.withLock { items } }
}
