import PolicyAPI
import PolicyLanguage
import Testing

/// Without a shared store: `/v1/cluster` is this replica alone, and `min_revision` is met at once
/// (there are no revisions); its parameters are checked all the same.
@Suite struct ClusterEndpointTests {
    @Test func theClusterWithoutEtcdIsThisReplicaAlone() throws {
        let f = try APIFixture()
        f.api.identify(replicaID: "a:1", address: "http://a:1")
        f.call("PUT", "/v1/networks/7/policy", body: sshPolicy)
        let r = f.call("GET", "/v1/cluster")
        #expect(r.status == 200)
        #expect(r["replica_id"]?.stringValue == "a:1")
        #expect(r["converged"] == .bool(true))
        let replicas = try #require(r["replicas"]?.arrayValue)
        #expect(replicas.count == 1)
        #expect(replicas.first?["address"]?.stringValue == "http://a:1")
        #expect(replicas.first?["ready"] == .bool(true))
        #expect(replicas.first?["degraded"] == .bool(false))
        let network = try #require(r["networks"]?.arrayValue?.first)
        #expect(network["network_id"]?.intValue == 7)
        #expect(network["agree"] == .bool(true))
        #expect(network["etags"]?["a:1"]?.stringValue == f.call("GET", "/v1/networks/7/runner")["etag"]?.stringValue)
    }

    @Test func minRevisionIsMetAtOnceWithoutASharedStore() throws {
        let f = try APIFixture()
        f.call("PUT", "/v1/networks/7/policy", body: sshPolicy)
        let r = f.call("GET", "/v1/networks/7/runner", query: [("min_revision", "99"), ("wait", "5s")])
        #expect(r.status == 200)
        #expect(r["network_id"]?.intValue == 7)
        #expect(f.call("GET", "/v1/networks/8/runner", query: [("min_revision", "1")]).status == 404)
    }

    @Test(
        arguments: [
            [("min_revision", "-1")], [("min_revision", "x")], [("min_revision", "")], [("min_revision", nil)],
            [("min_revision", "1"), ("wait", "31s")], [("min_revision", "1"), ("wait", "5")], [("min_revision", "1"), ("wait", "-1s")],
            [("wait", "1s")], [("min_revision", "1"), ("min_revision", "2")],
        ] as [[(name: String, value: String?)]])
    func badWaitParametersAre400(_ query: [(name: String, value: String?)]) throws {
        let f = try APIFixture()
        f.call("PUT", "/v1/networks/7/policy", body: sshPolicy)
        let r = f.call("GET", "/v1/networks/7/runner", query: query)
        #expect(r.status == 400, "\(query)")
        #expect(r.errorCode == "bad_request")
    }
}
