import Dispatch
import MicroHTTP
import PolicyLanguage
import Testing

/// Decisions counted from many threads at once (striped counters, flushed into the registry
/// when /metrics is read) all show: in /metrics, in the latency histogram and in the runner's
/// status, with nothing lost and nothing counted twice, across several scrapes.
@Suite struct StripedMetricsTests {
    @Test func everyDecisionOfManyThreadsIsCountedOnce() throws {
        let f = try APIFixture()
        #expect(f.call("PUT", "/v1/networks/3/policy", body: sshPolicy).status == 201)
        let api = f.api
        let headers = [(name: "Content-Type", value: "application/json")]
        let allow = Array(#"{"event":"connect","peer_id":1,"port":22,"peer_tags":["ops"]}"#.utf8)
        let deny = Array(#"{"event":"connect","peer_id":2,"port":80}"#.utf8)
        var expectedAllow = 0
        var expectedDeny = 0
        for scrape in 1...3 {
            let threads = 6
            let perThread = 400
            DispatchQueue.concurrentPerform(iterations: threads) { t in
                for i in 0..<perThread {
                    let body = (i + t) % 3 == 0 ? allow : deny
                    let response = api.respondInline(
                        to: HTTPRequest(method: "POST", path: "/v1/networks/3/decisions", headers: headers, body: body))
                    precondition(response.status == 200)
                }
            }
            for t in 0..<threads {
                for i in 0..<perThread {
                    if (i + t) % 3 == 0 { expectedAllow += 1 } else { expectedDeny += 1 }
                }
            }
            let total = expectedAllow + expectedDeny
            let text = f.call("GET", "/metrics").text
            #expect(text.contains(#"policyd_decisions_total{verdict="allow"} \#(expectedAllow)"#), "scrape \(scrape)")
            #expect(text.contains(#"policyd_decisions_total{verdict="deny"} \#(expectedDeny)"#), "scrape \(scrape)")
            #expect(
                text.contains(#"policyd_http_requests_total{route="/v1/networks/{id}/decisions",method="POST",status="200"} \#(total)"#),
                "scrape \(scrape)")
            #expect(text.contains(#"policyd_http_request_duration_seconds_count{route="/v1/networks/{id}/decisions"} \#(total)"#))
            let decisions = f.call("GET", "/v1/networks/3/runner")["decisions"]
            #expect(decisions?["allow"]?.intValue == expectedAllow)
            #expect(decisions?["deny"]?.intValue == expectedDeny)
            #expect(decisions?["errors"]?.intValue == 0)
        }
    }
}
