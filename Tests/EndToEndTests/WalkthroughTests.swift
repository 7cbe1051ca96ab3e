import Foundation
import HTTPTestClient
import PolicyLanguage
import Testing

@Suite struct WalkthroughTests {
    @Test func theReadmeWalkthroughOverOneKeepAliveConnection() throws {
        let live = try LiveServer()
        let c = try live.connect()

        let put = try c.json("PUT", "/v1/networks/7/policy", sshPolicy)
        #expect(put.status == 201)
        let etag = try #require(put.header("ETag"))
        #expect(put["generation"]?.intValue == 1)

        let allow = try c.json("POST", "/v1/networks/7/decisions", #"{"event":"connect","peer_id":42,"port":22,"peer_tags":["ops"]}"#)
        #expect(allow.status == 200)
        #expect(allow["verdict"]?.stringValue == "allow")
        #expect(allow["rule"]?.stringValue == "ops-ssh")
        let deny = try c.json("POST", "/v1/networks/7/decisions", #"{"event":"connect","peer_id":42,"port":80}"#)
        #expect(deny["verdict"]?.stringValue == "deny")
        #expect(deny["rule"]?.stringValue == "_default")

        let members = try c.json("PUT", "/v1/networks/7/members", #"{"members":[{"peer_id":42,"tags":["ops"]},{"peer_id":43}]}"#)
        #expect(members["joined"] == .array([.int(42), .int(43)]))
        let peers = try c.json("GET", "/v1/networks/7/peers")
        #expect(peers["peers"]?.arrayValue?.first?["policy_tags"] == .array([.string("probation")]))

        let cycle = try c.json("POST", "/v1/networks/7/cycle")
        #expect(cycle["cycle_num"]?.intValue == 1)

        let reload = try c.json("POST", "/v1/networks/7/reload")
        #expect(reload["generation"]?.intValue == 2)
        let runner = try c.json("GET", "/v1/networks/7/runner")
        #expect(runner["generation"]?.intValue == 2)
        #expect(runner["peers"]?.intValue == 2, "peers survive the swap")
        #expect(runner["etag"]?.stringValue == etag)

        let stored = try c.json("GET", "/v1/networks/7/policy")
        #expect(stored.text == sshPolicy)
        #expect(try c.json("DELETE", "/v1/networks/7/policy", headers: ["If-Match: \(etag)"]).status == 204)
        #expect(try c.json("GET", "/v1/networks/7/runner").status == 404)
        #expect(c.unexpectedBytes(waiting: 50) == 0)
    }

    @Test func invalidPutOverTheWireLeavesTheOldRunnerServing() throws {
        let live = try LiveServer()
        let c = try live.connect()
        _ = try c.json("PUT", "/v1/networks/1/policy", sshPolicy)
        let bad = try c.json(
            "PUT", "/v1/networks/1/policy",
            #"{"version":1,"rules":[{"name":"x","on":"connect","match":"port ==","actions":[{"type":"allow"}]}]}"#)
        #expect(bad.status == 422)
        #expect(bad.errorCode == "invalid_policy")
        #expect(bad.header("Content-Type") == "application/json")
        let d = try c.json("POST", "/v1/networks/1/decisions", #"{"event":"connect","port":22,"peer_tags":["ops"]}"#)
        #expect(d["verdict"]?.stringValue == "allow")
        #expect(d["generation"]?.intValue == 1)
    }

    @Test func protocolErrorsOverTheWire() throws {
        let live = try LiveServer(maxBodyBytes: 4096)
        let c = try live.connect()
        let wrong = try c.json("DELETE", "/v1/networks/1/runner")
        #expect(wrong.status == 405)
        #expect(wrong.header("Allow") == "GET, HEAD")
        #expect(try c.json("GET", "/v1/networks/0/runner").status == 400)
        #expect(try c.json("GET", "/v1/networks/x/runner").errorCode == "bad_request")
        #expect(try c.json("GET", "/nowhere").errorCode == "not_found")
        #expect(try c.json("PUT", "/v1/networks/1/policy", "{oops").errorCode == "invalid_json")
        let media = try c.exchange("PUT", "/v1/networks/1/policy", headers: ["Content-Type: text/yaml"], body: Array("version: 1".utf8))
        #expect(media.status == 415)
        let head = try c.exchange("HEAD", "/healthz")
        #expect(head.status == 200)
        #expect(head.body.isEmpty)

        let big = try live.connect()
        try big.sendRequest("PUT", "/v1/networks/1/policy", headers: ["Content-Type: application/json", "Content-Length: 5000000"])
        let tooLarge = try big.readResponse()
        #expect(tooLarge.status == 413)
        #expect(tooLarge.errorCode == "payload_too_large")
    }
}
