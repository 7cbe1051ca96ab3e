import PolicyAPI
import PolicyLanguage
import PolicyService
import Testing

/// The API shows what the service's values say: after a swap, the new runner's status (not the
/// cached parts of the old one), and decisions counted once, across swaps and reloads.
@Suite struct ServiceFacadeTests {
    private func metric(_ f: APIFixture, _ prefix: String) -> String? {
        f.call("GET", "/metrics").text.split(separator: "\n").first { $0.hasPrefix(prefix) }.map(String.init)
    }

    @Test func statusAfterASwapShowsTheNewRunnerNotTheCachedParts() throws {
        let f = try APIFixture()
        let v1 = f.call("PUT", "/v1/networks/7/policy", body: sshPolicy)
        let before = f.call("GET", "/v1/networks/7/runner")
        #expect(before["generation"]?.intValue == 1)
        #expect(before["etag"]?.stringValue == v1.header("ETag"))
        #expect(before["rules"]?.intValue == 2)
        #expect(before["cycle"]?.stringValue == "1h")
        let v2 = f.call("PUT", "/v1/networks/7/policy", body: openPolicy)
        #expect(v2.status == 200)
        #expect(v2["generation"]?.intValue == 2)
        #expect(v2.header("ETag") != v1.header("ETag"))
        for after in [f.call("GET", "/v1/networks/7/runner"), f.call("GET", "/v1/networks/7/runner")] {
            #expect(after["generation"]?.intValue == 2)
            #expect(after["etag"]?.stringValue == v2.header("ETag"))
            #expect(after["rules"]?.intValue == 1)
            #expect(after["default_verdict"]?.stringValue == "allow")
            #expect(after["cycle"] == .null)
            #expect(after["max_peers"] == .null)
        }
        let listed = f.call("GET", "/v1/networks")["networks"]?.arrayValue?.first
        #expect(listed?["generation"]?.intValue == 2)
        #expect(listed?["etag"]?.stringValue == v2.header("ETag"))
    }

    @Test func networksSharingACacheStripeKeepTheirOwnParts() throws {
        // 1 and 65 share a stripe (id % 64), in different slots; 64 and 65535 are the first and last slots of theirs.
        let f = try APIFixture()
        let networks = [(1, sshPolicy), (65, openPolicy), (64, openPolicy), (65535, sshPolicy)]
        var etags: [Int: String] = [:]
        for (id, policy) in networks { etags[id] = f.call("PUT", "/v1/networks/\(id)/policy", body: policy).header("ETag") }
        for _ in 0..<2 {
            for (id, _) in networks {
                let status = f.call("GET", "/v1/networks/\(id)/runner")
                #expect(status["network_id"]?.intValue == id)
                #expect(status["etag"]?.stringValue == etags[id])
            }
        }
    }

    @Test func decisionsOfAReplacedRunnerStayCounted() throws {
        let f = try APIFixture()
        f.call("PUT", "/v1/networks/7/policy", body: sshPolicy)
        f.call("POST", "/v1/networks/7/decisions", body: #"{"event":"connect","port":22,"peer_tags":["ops"]}"#)
        f.call("POST", "/v1/networks/7/decisions", body: #"{"event":"connect","port":80}"#)
        f.call("POST", "/v1/networks/7/decisions", body: #"{"event":"connect","port":81}"#)
        f.call("PUT", "/v1/networks/7/policy", body: openPolicy)
        // The new runner counts from zero; the totals keep the replaced runner's decisions.
        #expect(f.call("GET", "/v1/networks/7/runner")["decisions"]?["deny"]?.intValue == 0)
        #expect(metric(f, #"policyd_decisions_total{verdict="allow"}"#) == #"policyd_decisions_total{verdict="allow"} 1"#)
        #expect(metric(f, #"policyd_decisions_total{verdict="deny"}"#) == #"policyd_decisions_total{verdict="deny"} 2"#)
        f.call("POST", "/v1/networks/7/decisions", body: #"{"event":"connect","port":80}"#)
        #expect(metric(f, #"policyd_decisions_total{verdict="allow"}"#) == #"policyd_decisions_total{verdict="allow"} 2"#)
        // Deleted: its runner's decisions stay counted too.
        f.call("DELETE", "/v1/networks/7/policy")
        #expect(metric(f, #"policyd_decisions_total{verdict="allow"}"#) == #"policyd_decisions_total{verdict="allow"} 2"#)
        #expect(metric(f, #"policyd_decisions_total{verdict="deny"}"#) == #"policyd_decisions_total{verdict="deny"} 2"#)
    }

    @Test func aReloadThroughTheServiceKeepsTheCounts() throws {
        let f = try APIFixture()
        let failOpen = """
            {"version":1,"default_verdict":"deny","fail_closed":false,"rules":[
              {"name":"div","on":"connect","match":"10 % port == 0","actions":[{"type":"deny"}]}]}
            """
        f.call("PUT", "/v1/networks/3/policy", body: failOpen)
        f.call("POST", "/v1/networks/3/decisions", body: #"{"event":"connect","port":0}"#)
        f.call("POST", "/v1/networks/3/decisions", body: #"{"event":"connect","port":0}"#)
        #expect(metric(f, "policyd_evaluation_errors_total ") == "policyd_evaluation_errors_total 2")
        _ = try f.api.service.reload(3)  // not through HTTP: the service retires the runner itself
        _ = f.api.service.reloadAll(force: true)
        #expect(f.api.service.status(network: 3)?.generation == 3)
        #expect(metric(f, "policyd_evaluation_errors_total ") == "policyd_evaluation_errors_total 2")
        #expect(metric(f, #"policyd_decisions_total{verdict="allow"}"#) == #"policyd_decisions_total{verdict="allow"} 2"#)
        #expect(f.api.service.decisionTotals == DecisionCounts(allow: 2, deny: 0, errors: 2))
    }
}
