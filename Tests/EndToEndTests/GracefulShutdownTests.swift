import Foundation
import HTTPTestClient
import PolicyLanguage
import Testing

extension HeavyEndToEnd {
    /// SIGTERM with requests in flight: they finish, readiness says draining, new connections
    /// are refused, runners stop, peer tables are saved, exit 0.
    @Suite struct GracefulShutdownTests {
        @Test func sigtermLetsRequestsInFlightFinishAndRefusesNewConnections() throws {
            let dir = temporaryPath("policyd-drain")
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let server = try PolicydProcess(["serve", "--port", "0", "--data-dir", dir, "--drain-seconds", "20", "--threads", "6"])
            try server.waitReady()
            let port = server.port

            let setup = try TestConnection(port: port)
            #expect(try setup.json("PUT", "/v1/networks/1/policy", sshPolicy).status == 201)
            #expect(try setup.json("PUT", "/v1/networks/1/members", #"{"members":[{"peer_id":5,"tags":["ops"]}]}"#).status == 200)
            // A policy whose decisions run into the evaluation time budget: slow requests.
            #expect(try setup.json("PUT", "/v1/networks/2/policy", slowPolicy).status == 201)

            // An idle keep-alive connection, opened before the signal.
            let keepAlive = try TestConnection(port: port, timeout: 20)
            #expect(try keepAlive.exchange("GET", "/healthz").status == 200)
            // A request in flight: headers and half its body sent.
            let body = Array(sshPolicy.utf8)
            let inFlight = try TestConnection(port: port, timeout: 20)
            try inFlight.send(
                Array(
                    "PUT /v1/networks/3/policy HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\n\r\n"
                        .utf8)
                    + body.prefix(body.count / 2))
            // And slow decisions (each runs into the 100 ms evaluation budget), all sent before the signal.
            let answers = Answers()
            let sent = Answers()
            let workers = Workers()
            for _ in 0..<8 {
                workers.spawn {
                    guard let c = try? TestConnection(port: port, timeout: 20),
                        (try? c.sendRequest(
                            "POST", "/v1/networks/2/decisions", headers: ["Content-Type: application/json"],
                            body: Array(slowDecision().utf8))) != nil
                    else { return answers.add(nil) }
                    sent.add(nil)
                    answers.add(try? c.readResponse())
                }
            }
            let deadline = Date().addingTimeInterval(10)
            while sent.all.count < 8, Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
            Thread.sleep(forTimeInterval: 0.3)

            server.signal(SIGTERM)
            #expect(server.waitForLog("shutting down"))
            Thread.sleep(forTimeInterval: 0.2)
            let readiness = try keepAlive.exchange("GET", "/readyz")
            #expect(readiness.status == 503)
            #expect(readiness["status"]?.stringValue == "draining")
            #expect(throws: (any Error).self, "a new connection was accepted while draining") {
                let late = try TestConnection(port: port, timeout: 1)
                _ = try late.exchange("GET", "/healthz")
            }

            // The request in flight completes and is answered.
            try inFlight.send(Array(body.dropFirst(body.count / 2)))
            let put = try inFlight.readResponse()
            #expect(put.status == 201)
            #expect(workers.wait(timeout: 20))
            #expect(answers.all.count == 8)
            for answer in answers.all {
                #expect(answer?.status == 200)
                #expect(answer?["error"]?.stringValue?.contains("time budget") == true)
            }

            #expect(server.waitExit() == 0)
            let log = server.output
            #expect(log.contains("still_running=0"), "\(log.suffix(600))")
            #expect(log.contains("[policyd] stopped"))
            #expect(FileManager.default.fileExists(atPath: dir + "/peers/1.json"), "peer table not saved")
            #expect(FileManager.default.fileExists(atPath: dir + "/policies/3.json"), "the in-flight PUT was not stored")
        }
    }
}
