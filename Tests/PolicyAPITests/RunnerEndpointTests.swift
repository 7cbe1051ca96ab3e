import Foundation
import PolicyLanguage
import Testing

@Suite struct RunnerEndpointTests {
    @Test func decisionsAnswerWithVerdictRuleAndGeneration() throws {
        let f = try APIFixture()
        f.call("PUT", "/v1/networks/7/policy", body: sshPolicy)
        let allow = f.call("POST", "/v1/networks/7/decisions", body: #"{"event":"connect","peer_id":42,"port":22,"peer_tags":["ops"]}"#)
        #expect(allow.status == 200)
        #expect(allow["verdict"]?.stringValue == "allow")
        #expect(allow["rule"]?.stringValue == "ops-ssh")
        #expect(allow["network_id"]?.intValue == 7)
        #expect(allow["generation"]?.intValue == 1)
        #expect(allow["directives"]?.arrayValue?.count == 1)
        #expect(allow["error"] == nil)
        let deny = f.call("POST", "/v1/networks/7/decisions", body: #"{"event":"connect","port":80}"#)
        #expect(deny["verdict"]?.stringValue == "deny")
        #expect(deny["rule"]?.stringValue == "_default")
        let status = f.call("GET", "/v1/networks/7/runner")
        #expect(status["decisions"]?["allow"]?.intValue == 1)
        #expect(status["decisions"]?["deny"]?.intValue == 1)
    }

    @Test func decisionsRejectBadRequestsAndUnknownNetworks() throws {
        let f = try APIFixture()
        f.call("PUT", "/v1/networks/7/policy", body: sshPolicy)
        for body in [
            #"{"port":22}"#, #"{"event":"cycle"}"#, #"{"event":"connect","port":"22"}"#,
            #"{"event":"connect","port":70000}"#, #"{"event":"connect","peer_tags":[1]}"#, #"[1]"#,
        ] {
            let r = f.call("POST", "/v1/networks/7/decisions", body: body)
            #expect(r.status == 400, "\(body)")
            #expect(r.errorCode == "bad_request", "\(body)")
        }
        #expect(f.call("POST", "/v1/networks/8/decisions", body: #"{"event":"dial"}"#).status == 404)
    }

    @Test func evaluationErrorsFollowFailClosed() throws {
        let f = try APIFixture()
        let policy = """
            {"version":1,"default_verdict":"allow","fail_closed":%@,"rules":[
              {"name":"div","on":"dial","match":"10 % port == 0","actions":[{"type":"deny"}]}]}
            """
        f.call("PUT", "/v1/networks/1/policy", body: policy.replacingOccurrences(of: "%@", with: "true"))
        f.call("PUT", "/v1/networks/2/policy", body: policy.replacingOccurrences(of: "%@", with: "false"))
        let closed = f.call("POST", "/v1/networks/1/decisions", body: #"{"event":"dial","port":0}"#)
        #expect(closed["verdict"]?.stringValue == "deny")
        #expect(closed["rule"]?.stringValue == "div")
        #expect(closed["error"]?.stringValue?.contains("divide by zero") == true)
        let open = f.call("POST", "/v1/networks/2/decisions", body: #"{"event":"dial","port":0}"#)
        #expect(open["verdict"]?.stringValue == "allow")
        #expect(open["error"] != nil)
    }

    @Test func membersPeersAndCycle() throws {
        let f = try APIFixture()
        #expect(f.call("PUT", "/v1/networks/5/members", body: #"{"members":[]}"#).status == 404)
        f.call("PUT", "/v1/networks/5/policy", body: sshPolicy)
        let m = f.call("PUT", "/v1/networks/5/members", body: #"{"members":[{"peer_id":1,"tags":["ops"]},{"peer_id":2}]}"#)
        #expect(m.status == 200)
        #expect(m["joined"] == .array([.int(1), .int(2)]))
        #expect(m["left"] == .array([]))
        #expect(m["denied"] == .array([]))
        #expect(m["peers"]?.intValue == 2)
        let m2 = f.call("PUT", "/v1/networks/5/members", body: #"{"members":[{"peer_id":2}]}"#)
        #expect(m2["left"] == .array([.int(1)]))

        let peers = f.call("GET", "/v1/networks/5/peers")
        let list = try #require(peers["peers"]?.arrayValue)
        #expect(list.count == 1)
        #expect(list[0]["peer_id"]?.intValue == 2)
        #expect(list[0]["added_at"]?.stringValue?.count == 20)
        #expect(list[0]["member_tags"] == .array([]))

        for bad in [
            #"{"members":[{"peer_id":0}]}"#, #"{"members":[{"peer_id":1},{"peer_id":1}]}"#, #"{"members":{}}"#, #"{}"#,
            #"{"members":null}"#, #"{"members":[{"peer_id":null}]}"#, #"{"members":[{"peer_id":1,"tags":null}]}"#,
            #"{"members":[{"peer_id":1,"tags":[null]}]}"#, #"{"members":[null]}"#,
        ] {
            #expect(f.call("PUT", "/v1/networks/5/members", body: bad).status == 400, "\(bad)")
        }

        let c = f.call("POST", "/v1/networks/5/cycle")
        #expect(c.status == 200)
        #expect(c["cycle_num"]?.intValue == 1)
        #expect(c["peers"]?.intValue == 1)
        #expect(c["emitted"]?.arrayValue?.first?["type"]?.stringValue == "fill")
        #expect(f.call("GET", "/v1/networks/5/runner")["cycle_num"]?.intValue == 1)
        #expect(f.call("POST", "/v1/networks/6/cycle").status == 404)
    }

    @Test func reloadMakesANewGenerationAndReloadAllReports() throws {
        let f = try APIFixture()
        #expect(f.call("POST", "/v1/networks/5/reload").status == 404)
        f.call("PUT", "/v1/networks/5/policy", body: sshPolicy)
        f.call("PUT", "/v1/networks/6/policy", body: openPolicy)
        let r = f.call("POST", "/v1/networks/5/reload")
        #expect(r.status == 200)
        #expect(r["generation"]?.intValue == 2)

        let all = f.call("POST", "/v1/reload")
        #expect(all.status == 200)
        let results = try #require(all["results"]?.arrayValue)
        #expect(results.map { $0["action"]?.stringValue } == ["unchanged", "unchanged"])
        let forced = f.call("POST", "/v1/reload", query: [("force", "true")])
        #expect(forced["results"]?.arrayValue?.map { $0["action"]?.stringValue } == ["swapped", "swapped"])
        #expect(forced["results"]?.arrayValue?.first?["generation"]?.intValue == 3)
        #expect(f.call("POST", "/v1/reload", query: [("force", "maybe")]).status == 400)
    }

    @Test func networksAreListedById() throws {
        let f = try APIFixture()
        for id in [300, 2, 65535] { f.call("PUT", "/v1/networks/\(id)/policy", body: openPolicy) }
        let ids = f.call("GET", "/v1/networks")["networks"]?.arrayValue?.map { $0["network_id"]?.intValue }
        #expect(ids == [2, 300, 65535])
    }
}
