import Foundation
import HTTPTestClient
import PolicyAPI
import PolicyLanguage
import PolicyService
import Testing

/// openapi.yaml to the letter, over real sockets (libmicrohttpd parses the query and the header
/// lines): malformed queries and conditional headers are 400 `bad_request` naming what is wrong,
/// well-formed preconditions that fail stay 412, and null is no value in a request body.
@Suite struct ContractStrictnessTests {
    /// A raw request with its head as bytes (for header values curl and Foundation would not send).
    private func raw(_ live: LiveServer, _ head: [UInt8], body: String = "") throws -> TestResponse {
        let c = try live.connect()
        let length = Array("Content-Length: \(body.utf8.count)\r\nContent-Type: application/json\r\n\r\n".utf8)
        try c.send(head + Array("\r\nHost: localhost\r\n".utf8) + length + Array(body.utf8))
        return try c.readResponse()
    }

    private func message(_ r: TestResponse) -> String { r.json?["error"]?["message"]?.stringValue ?? "" }

    @Test func reloadForceIsTrueOrFalseAndNothingElse() throws {
        let live = try LiveServer()
        let c = try live.connect()
        #expect(try c.json("PUT", "/v1/networks/7/policy", sshPolicy).status == 201)
        for target in [
            "/v1/reload?force=", "/v1/reload?force", "/v1/reload?force=1", "/v1/reload?force=TRUE", "/v1/reload?force=true%20",
            "/v1/reload?force=true&force=true", "/v1/reload?force=false&verbose=1", "/v1/reload?&force=true",
        ] {
            let r = try c.json("POST", target)
            #expect(r.status == 400, "\(target)")
            #expect(r.errorCode == "bad_request", "\(target)")
            #expect(message(r).contains("force") || message(r).contains("'verbose'") || message(r).contains("''"), "\(target)")
        }
        #expect(live.api.service.status(network: 7)?.generation == 1)  // none of them reloaded anything
        // Reloads are answered on a worker thread, from a copy of the request that keeps the difference.
        #expect(message(try c.json("POST", "/v1/reload?force")) == "query parameter force must be true or false, not a bare name")
        #expect(message(try c.json("POST", "/v1/reload?force=")) == "query parameter force must be true or false, not ''")
        let forced = try c.json("POST", "/v1/reload?force=%74rue")
        #expect(forced.status == 200)
        #expect(forced["results"]?.arrayValue?.first?["action"]?.stringValue == "swapped")
        let unforced = try c.json("POST", "/v1/reload?force=false")
        #expect(unforced["results"]?.arrayValue?.first?["action"]?.stringValue == "unchanged")
    }

    @Test func unknownQueryParametersAre400OnV1AndIgnoredByProbes() throws {
        let live = try LiveServer()
        let c = try live.connect()
        let r = try c.json("GET", "/v1/networks?page=2")
        #expect(r.status == 400)
        #expect(message(r) == "unknown query parameter 'page' (this operation takes none)")
        #expect(try c.json("POST", "/v1/networks/7/decisions?debug", #"{"event":"connect"}"#).status == 400)
        for target in ["/healthz?x=1", "/readyz?cachebust=17", "/metrics?name[]=up"] {
            #expect(try c.exchange("GET", target).status == 200, "\(target)")
        }
    }

    @Test func malformedConditionalHeadersAre400() throws {
        let live = try LiveServer()
        let put = Array("PUT /v1/networks/3/policy HTTP/1.1".utf8)
        for header in [
            Array("If-Match: ".utf8) + [0xCF, 0xB9], Array("If-None-Match:".utf8), Array("If-None-Match: ".utf8),
            Array("If-Match: abc".utf8), Array(#"If-Match: "a" "b""#.utf8), Array(#"If-Match: *, "a""#.utf8),
            Array("If-Match: \"a".utf8) + [0x01] + Array("\"".utf8), Array(#"If-None-Match: W/"#.utf8),
            Array(#"If-Match: "a"; "b""#.utf8), Array(#"If-Match: ,,"#.utf8),
        ] {
            let r = try raw(live, put + Array("\r\n".utf8) + header, body: sshPolicy)
            let shown = String(decoding: header, as: UTF8.self)
            #expect(r.status == 400, "\(shown)")
            #expect(r.errorCode == "bad_request", "\(shown)")
            #expect(message(r).hasPrefix(shown.hasPrefix("If-Match") ? "If-Match must be" : "If-None-Match must be"), "\(shown)")
        }
        // The malformed header is found before the (also broken) document.
        let both = try raw(live, put + Array("\r\nIf-Match: nope".utf8), body: #"{"version": 2}"#)
        #expect(both.status == 400)
        // Two lines of one field are one list; one bad line spoils it.
        let split = try raw(live, put + Array("\r\nIf-Match: \"a\"\r\nIf-Match: b".utf8), body: sshPolicy)
        #expect(split.status == 400)
        let delete = try raw(live, Array("DELETE /v1/networks/3/policy HTTP/1.1\r\nIf-Match: 9f2c".utf8))
        #expect(delete.status == 400)
        #expect(live.api.service.status(network: 3) == nil)
    }

    @Test func wellFormedPreconditionsThatFailStay412() throws {
        let live = try LiveServer()
        let c = try live.connect()
        func put(_ headers: [String]) throws -> TestResponse { try c.json("PUT", "/v1/networks/3/policy", sshPolicy, headers: headers) }
        #expect(try put([#"If-Match: "nope""#]).status == 412)
        #expect(try put(["If-Match: *"]).status == 412)  // nothing stored
        let created = try put(["If-None-Match: *"])
        #expect(created.status == 201)
        let etag = try #require(created.header("ETag"))
        #expect(try put(["If-None-Match: *"]).status == 412)
        #expect(try put(["If-None-Match: \"x\", W/\(etag)"]).status == 412)  // weak comparison
        #expect(try put(["If-Match: W/\(etag)"]).status == 412)  // strong comparison
        #expect(try put([#"If-Match: "nope", W/"x""#]).errorCode == "precondition_failed")
        #expect(try put(["If-Match: \"x\"", "If-Match: , \(etag) ,,"]).status == 200)
        #expect(try put(["If-None-Match: \"x\""]).status == 200)
        #expect(try put(["If-Match: *"]).status == 200)
        #expect(try c.json("DELETE", "/v1/networks/3/policy", headers: ["If-None-Match: *"]).status == 412)
        #expect(try c.json("DELETE", "/v1/networks/3/policy", headers: ["If-Match: *"]).status == 204)
        #expect(try c.json("DELETE", "/v1/networks/3/policy", headers: ["If-Match: *"]).status == 404)
    }

    @Test func nullIsNoValueInRequestBodies() throws {
        let live = try LiveServer()
        let c = try live.connect()
        #expect(try c.json("PUT", "/v1/networks/9/policy", sshPolicy).status == 201)
        let tags = try c.json("PUT", "/v1/networks/9/members", #"{"members": [{"peer_id": 1, "tags": null}]}"#)
        #expect(tags.status == 400)
        #expect(message(tags) == "members[0].tags must be an array of strings")
        let peer = try c.json("POST", "/v1/networks/9/decisions", #"{"event": "connect", "peer_id": null}"#)
        #expect(peer.status == 400)
        #expect(message(peer) == "peer_id must be an integer")
        #expect(try c.json("GET", "/v1/networks/9/peers")["peers"]?.arrayValue?.isEmpty == true)
    }
}
