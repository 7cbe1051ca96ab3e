import Foundation
import PolicyLanguage
import Testing

@Suite struct PolicyEndpointTests {
    @Test func firstPutCreatesThenSwapReplaces() throws {
        let f = try APIFixture()
        let first = f.call("PUT", "/v1/networks/7/policy", body: sshPolicy, headers: [("Content-Type", "application/json")])
        #expect(first.status == 201)
        #expect(first["network_id"]?.intValue == 7)
        #expect(first["generation"]?.intValue == 1)
        #expect(first["state"]?.stringValue == "running")
        #expect(first["rules"]?.intValue == 2)
        #expect(first["default_verdict"]?.stringValue == "deny")
        #expect(first["fail_closed"] == .bool(true))
        #expect(first["cycle"]?.stringValue == "1h")
        #expect(first["max_peers"]?.intValue == 50)
        #expect(first["started_at"]?.stringValue?.hasSuffix("Z") == true)
        #expect(first["decisions"]?["allow"]?.intValue == 0)
        let etag = try #require(first.header("ETag"))
        #expect(first["etag"]?.stringValue == etag)

        let second = f.call("PUT", "/v1/networks/7/policy", body: openPolicy)
        #expect(second.status == 200)
        #expect(second["generation"]?.intValue == 2)
        #expect(second["cycle"] == .null)
        #expect(second["max_peers"] == .null)
        #expect(second.header("ETag") != etag)
    }

    @Test func invalidPolicyIs422WithDetailsAndTheOldRunnerKeepsServing() throws {
        let f = try APIFixture()
        f.call("PUT", "/v1/networks/7/policy", body: sshPolicy)
        let bad = """
            {"version": 1, "rules": [{"name": "ops-ssh", "on": "connect", "match": "port == 22 && prot", "actions": [{"type": "allow"}]}]}
            """
        let r = f.call("PUT", "/v1/networks/7/policy", body: bad)
        #expect(r.status == 422)
        #expect(r.errorCode == "invalid_policy")
        let detail = try #require(r.json?["error"]?["details"]?.arrayValue?.first)
        #expect(detail["rule"]?.stringValue == "ops-ssh")
        #expect(detail["field"]?.stringValue == "match")
        #expect(detail["line"]?.intValue == 1)
        #expect(detail["column"]?.intValue == 15)
        let runner = f.call("GET", "/v1/networks/7/runner")
        #expect(runner["generation"]?.intValue == 1)
        #expect(runner["rules"]?.intValue == 2)
        #expect(f.call("GET", "/v1/networks/7/policy").text == sshPolicy)
    }

    @Test func malformedJSONIs400AndOtherContentTypesAre415() throws {
        let f = try APIFixture()
        #expect(f.call("PUT", "/v1/networks/7/policy", body: "{\"version\": ").errorCode == "invalid_json")
        let r = f.call("PUT", "/v1/networks/7/policy", body: sshPolicy, headers: [("Content-Type", "text/plain")])
        #expect(r.status == 415)
        #expect(r.errorCode == "unsupported_media_type")
        #expect(f.call("GET", "/v1/networks/7/runner").status == 404)
    }

    @Test func storedDocumentIsReturnedAsReceivedWithItsETag() throws {
        let f = try APIFixture()
        #expect(f.call("GET", "/v1/networks/9/policy").status == 404)
        let put = f.call("PUT", "/v1/networks/9/policy", body: sshPolicy)
        let get = f.call("GET", "/v1/networks/9/policy")
        #expect(get.status == 200)
        #expect(get.text == sshPolicy)
        #expect(get.header("ETag") == put.header("ETag"))
        #expect(get.header("Content-Type") == "application/json")
    }

    @Test func ifMatchAndIfNoneMatchGuardWrites() throws {
        let f = try APIFixture()
        #expect(f.call("PUT", "/v1/networks/3/policy", body: sshPolicy, headers: [("If-Match", "\"nope\"")]).status == 412)
        let created = f.call("PUT", "/v1/networks/3/policy", body: sshPolicy, headers: [("If-None-Match", "*")])
        #expect(created.status == 201)
        let again = f.call("PUT", "/v1/networks/3/policy", body: openPolicy, headers: [("If-None-Match", "*")])
        #expect(again.status == 412)
        #expect(again.errorCode == "precondition_failed")
        let stale = f.call("PUT", "/v1/networks/3/policy", body: openPolicy, headers: [("If-Match", "\"stale\"")])
        #expect(stale.status == 412)
        let etag = try #require(created.header("ETag"))
        let swapped = f.call("PUT", "/v1/networks/3/policy", body: openPolicy, headers: [("If-Match", etag)])
        #expect(swapped.status == 200)
        #expect(f.call("DELETE", "/v1/networks/3/policy", headers: [("If-Match", etag)]).status == 412)
        let newTag = try #require(swapped.header("ETag"))
        #expect(f.call("DELETE", "/v1/networks/3/policy", headers: [("If-Match", newTag)]).status == 204)
    }

    @Test func deleteStopsTheRunnerAndRemovesTheDocument() throws {
        let f = try APIFixture()
        f.call("PUT", "/v1/networks/4/policy", body: sshPolicy)
        let r = f.call("DELETE", "/v1/networks/4/policy")
        #expect(r.status == 204)
        #expect(r.body.isEmpty)
        #expect(f.call("GET", "/v1/networks/4/runner").status == 404)
        #expect(f.call("GET", "/v1/networks/4/policy").status == 404)
        #expect(f.call("DELETE", "/v1/networks/4/policy").status == 404)
    }

    @Test func validateStoresNothing() throws {
        let f = try APIFixture()
        let ok = f.call("POST", "/v1/policies/validate", body: sshPolicy)
        #expect(ok.status == 200)
        #expect(ok["valid"] == .bool(true))
        #expect(ok["rules"]?.intValue == 2)
        #expect(f.call("GET", "/v1/networks").json?["networks"]?.arrayValue?.isEmpty == true)
        #expect((try? FileManager.default.contentsOfDirectory(atPath: f.dir + "/policies"))?.isEmpty == true)
        let bad = f.call("POST", "/v1/policies/validate", body: #"{"version": 2, "rules": []}"#)
        #expect(bad.status == 422)
        #expect(bad.json?["error"]?["details"]?.arrayValue?.first?["field"]?.stringValue == "version")
        #expect(f.call("POST", "/v1/policies/validate", body: "[").status == 400)
    }
}
