import Logging
import MicroHTTP
import PolicyAPI
import PolicyLanguage
import PolicyService
import Testing

@Suite struct ProtocolTests {
    @Test func healthAndReadiness() throws {
        let f = try APIFixture(ready: false)
        #expect(f.call("GET", "/healthz").text == #"{"status":"ok"}"#)
        let starting = f.call("GET", "/readyz")
        #expect(starting.status == 503)
        #expect(starting["status"]?.stringValue == "starting")
        #expect(f.call("GET", "/v1/networks").errorCode == "not_ready")
        f.api.service.loadStored()
        f.api.markReady()
        let ready = f.call("GET", "/readyz")
        #expect(ready.status == 200)
        #expect(ready["status"]?.stringValue == "ready")
        #expect(ready["networks"]?.intValue == 0)
        f.api.markDraining()
        #expect(f.call("GET", "/readyz")["status"]?.stringValue == "draining")
        #expect(f.call("GET", "/readyz").status == 503)
    }

    @Test(arguments: ["0", "65536", "abc", "-1", "1.5", "", "99999999999999999999"])
    func badNetworkIdsAre400(_ id: String) throws {
        let f = try APIFixture()
        let r = f.call("GET", "/v1/networks/\(id)/runner")
        #expect(r.status == 400 || (id.isEmpty && r.status == 404))
        if !id.isEmpty { #expect(r.errorCode == "bad_request") }
    }

    @Test func unknownPathsAre404AndWrongMethods405WithAllow() throws {
        let f = try APIFixture()
        let missing = f.call("GET", "/v2/nothing")
        #expect(missing.status == 404)
        #expect(missing.errorCode == "not_found")
        let wrong = f.call("POST", "/v1/networks/7/runner")
        #expect(wrong.status == 405)
        #expect(wrong.errorCode == "method_not_allowed")
        #expect(wrong.header("Allow") == "GET, HEAD")
        let policy = f.call("PATCH", "/v1/networks/7/policy")
        #expect(policy.header("Allow")?.split(separator: ",").count == 4)
    }

    @Test func metricsCountRequestsDecisionsAndRunners() throws {
        let f = try APIFixture()
        f.call("PUT", "/v1/networks/7/policy", body: sshPolicy)
        f.call("POST", "/v1/networks/7/decisions", body: #"{"event":"connect","port":22,"peer_tags":["ops"]}"#)
        let m = f.call("GET", "/metrics")
        #expect(m.status == 200)
        #expect(m.header("Content-Type")?.hasPrefix("text/plain") == true)
        #expect(m.text.contains(#"policyd_http_requests_total{route="/v1/networks/{id}/policy",method="PUT",status="201"} 1"#))
        #expect(m.text.contains(#"policyd_decisions_total{verdict="allow"} 1"#))
        #expect(m.text.contains("policyd_runners 1"))
        #expect(m.text.contains("policyd_swaps_total 1"))
        #expect(m.text.contains("policyd_http_request_duration_seconds_bucket"))
    }

    /// Every registration counts, whatever caused it: the startup load of stored documents,
    /// a reload of everything (as SIGHUP does) and a network's reload, not only API writes.
    @Test func swapsCountStartupLoadsAndReloads() throws {
        let first = try APIFixture()
        first.call("PUT", "/v1/networks/7/policy", body: sshPolicy)
        first.call("PUT", "/v1/networks/8/policy", body: sshPolicy)
        // A second server over the same directory loads both documents at startup.
        let logger = Logger(label: "api-test") { _ in SwiftLogNoOpLogHandler() }
        let service = PolicyService(store: try FilePolicyStore(directory: first.dir), environment: RunnerEnvironment(logger: logger))
        let api = PolicyAPI(service: service, logger: logger)
        defer { service.shutdown() }
        service.loadStored()
        api.markReady()
        func swaps() -> String? {
            let text = String(decoding: api.respondInline(to: HTTPRequest(method: "GET", path: "/metrics")).body, as: UTF8.self)
            return text.split(separator: "\n").first { $0.hasPrefix("policyd_swaps_total ") }.map(String.init)
        }
        #expect(swaps() == "policyd_swaps_total 2")
        #expect(swaps() == "policyd_swaps_total 2")  // a scrape does not count again
        _ = service.reloadAll(force: true)  // what SIGHUP runs, forced: both swap
        #expect(swaps() == "policyd_swaps_total 4")
        _ = api.respondInline(to: HTTPRequest(method: "POST", path: "/v1/networks/7/reload"))
        #expect(swaps() == "policyd_swaps_total 5")
    }
}

/// Work that may block (writes, reloads, cycles, validation) is handed to a worker thread by
/// the one call of `respond`; reads and decisions are answered where they arrive.
@Suite struct BlockingRoutesTests {
    private func request(_ method: String, _ path: String, body: String = "") -> HTTPRequest {
        HTTPRequest(method: method, path: path, headers: [(name: "Content-Type", value: "application/json")], body: Array(body.utf8))
    }

    @Test func writesMoveToAWorkerThreadAndReadsDoNot() throws {
        let f = try APIFixture()
        f.call("PUT", "/v1/networks/1/policy", body: sshPolicy)
        let blocking = [
            ("PUT", "/v1/networks/1/policy"), ("DELETE", "/v1/networks/1/policy"), ("POST", "/v1/networks/1/reload"),
            ("POST", "/v1/reload"), ("PUT", "/v1/networks/1/members"), ("POST", "/v1/networks/1/cycle"),
            ("POST", "/v1/policies/validate"), ("GET", "/v1/cluster"),
        ]
        for (method, path) in blocking {
            guard case .onWorkerThread = f.api.respond(to: request(method, path, body: sshPolicy)) else {
                Issue.record("\(method) \(path) was not handed to a worker thread")
                continue
            }
        }
        let inline = [
            ("GET", "/v1/networks/1/runner", ""), ("GET", "/v1/networks", ""), ("GET", "/healthz", ""),
            ("POST", "/v1/networks/1/decisions", #"{"event":"connect","port":22,"peer_tags":["ops"]}"#),
        ]
        for (method, path, body) in inline {
            guard case .now(let response) = f.api.respond(to: request(method, path, body: body)) else {
                Issue.record("\(method) \(path) was not answered at once")
                continue
            }
            #expect(response.status == 200, "\(method) \(path)")
        }
        // A request refused before its handler (unauthenticated, unknown, not ready) is answered at once, never on a worker.
        guard case .now(let refused) = f.api.respond(to: request("PUT", "/v1/networks/0/nothing")) else {
            Issue.record("an unknown path was handed to a worker thread")
            return
        }
        #expect(refused.status == 404)
        // Nothing was written by the requests sent back: the stored policy is still the first.
        #expect(f.call("GET", "/v1/networks/1/runner")["generation"]?.intValue == 1)
    }
}
