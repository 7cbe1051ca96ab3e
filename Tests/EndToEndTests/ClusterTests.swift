import EtcdTestServer
import Foundation
import HTTPTestClient
import Locking
import PolicyLanguage
import Testing

/// A replica over etcd with an id and a short lease; extra flags after.
private func member(_ endpoints: String, id: String, ttl: Int = 2, extra: [String] = []) throws -> (PolicydProcess, String) {
    let dir = temporaryPath("policyd-cluster")
    let process = try PolicydProcess(
        [
            "serve", "--port", "0", "--data-dir", dir, "--etcd-endpoints", endpoints, "--etcd-timeout", "1",
            "--replica-id", id, "--lease-ttl", String(ttl),
        ] + extra)
    try process.waitReady(timeout: 20)
    return (process, dir)
}

private func put(_ port: Int, _ id: Int, _ body: String) throws -> TestResponse {
    try fetch(port, "PUT", "/v1/networks/\(id)/policy", headers: ["Content-Type: application/json"], body: Array(body.utf8))
}

private func cluster(_ port: Int) -> JSONValue? {
    guard let r = try? fetch(port, "GET", "/v1/cluster"), r.status == 200 else { return nil }
    return r.json
}

private func replicaIDs(_ port: Int) -> [String]? {
    cluster(port)?["replicas"]?.arrayValue?.compactMap { $0["id"]?.stringValue }
}

private func eventually(_ timeout: TimeInterval = 15, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if condition() { return true }
        Thread.sleep(forTimeInterval: 0.05)
    }
    return condition()
}

extension HeavyEndToEnd {
    @Suite(.serialized) struct ClusterTests {
        @Test func theClusterViewListsLiveReplicasAndForgetsADeadOneWhenItsLeaseExpires() throws {
            let etcd = try EtcdProcess.single()
            let (a, dirA) = try member(etcd.endpoint, id: "a")
            let (b, dirB) = try member(etcd.endpoint, id: "b")
            // c's lease would outlive the test: only the revoke on a graceful stop can remove it in time.
            let (c, dirC) = try member(etcd.endpoint, id: "c", ttl: 120)
            defer { for dir in [dirA, dirB, dirC] { try? FileManager.default.removeItem(atPath: dir) } }
            let created = try put(a.port, 4, sshPolicy)
            #expect(created.status == 201)
            let etag = try #require(created.header("ETag"))
            #expect(
                eventually {
                    let view = cluster(b.port)
                    return view?["converged"] == .bool(true) && view?["networks"]?.arrayValue?.count == 1
                        && replicaIDs(b.port) == ["a", "b", "c"]
                })
            let view = try #require(cluster(b.port))
            #expect(view["replica_id"]?.stringValue == "b")
            let network = try #require(view["networks"]?.arrayValue?.first)
            #expect(network["network_id"]?.intValue == 4)
            #expect(network["agree"] == .bool(true))
            for id in ["a", "b", "c"] { #expect(network["etags"]?[id]?.stringValue == etag) }
            let first = try #require(view["replicas"]?.arrayValue?.first)
            #expect(first["address"]?.stringValue == "http://127.0.0.1:\(a.port)")
            #expect(first["ready"] == .bool(true))
            #expect(first["degraded"] == .bool(false))
            #expect(first["applied_revision"]?.intValue == created["revision"]?.intValue)

            c.signal(SIGTERM)
            #expect(c.waitExit() == 0)
            #expect(replicaIDs(b.port) == ["a", "b"], "a graceful stop revokes the lease at once")
            a.signal(SIGKILL)
            _ = a.waitExit()
            // Killed: nothing revokes its lease; it is gone once the 2 s TTL ran out.
            #expect(eventually { replicaIDs(b.port) == ["b"] })
            #expect(cluster(b.port)?["networks"]?.arrayValue?.first?["agree"] == .bool(true))
        }

        @Test func minRevisionIsAnsweredOnceTheReplicaAppliedItOr503WhenTheWaitRunsOut() throws {
            let etcd = try EtcdProcess.single()
            let (a, dirA) = try member(etcd.endpoint, id: "a")
            let (b, dirB) = try member(etcd.endpoint, id: "b", extra: ["--threads", "2"])
            defer { for dir in [dirA, dirB] { try? FileManager.default.removeItem(atPath: dir) } }
            let first = try put(a.port, 9, constantPolicy("allow", name: "v1"))
            let r1 = try #require(first["revision"]?.intValue)
            // Met (at once or soon): the status of the runner with that revision or later.
            let met = try fetch(b.port, "GET", "/v1/networks/9/runner?min_revision=\(r1)&wait=5s")
            #expect(met.status == 200)
            #expect((met["revision"]?.intValue ?? 0) >= r1)

            // Met while waiting: a waiter for a revision that does not exist yet, then the PUT on a.
            // The replicas' registrations move the revision too (each rewrites its record once it
            // runs v1): wait until both records name v1, then the PUT is the next revision.
            let etag1 = try #require(first.header("ETag"))
            #expect(
                eventually {
                    let etags = cluster(b.port)?["networks"]?.arrayValue?.first?["etags"]
                    return etags?["a"]?.stringValue == etag1 && etags?["b"]?.stringValue == etag1
                })
            let next = try #require(etcd.revision()) + 1
            let answer = Locked<TestResponse?>(nil)
            let workers = Workers()
            workers.spawn {
                let r = try? fetch(b.port, "GET", "/v1/networks/9/runner?min_revision=\(next)&wait=20s")
                answer.withLock { $0 = r }
            }
            Thread.sleep(forTimeInterval: 0.3)
            let second = try put(a.port, 9, constantPolicy("deny", name: "v2"))
            #expect(second["revision"]?.intValue == next)
            #expect(workers.wait(timeout: 20))
            let waited = try #require(answer.withLock { $0 })
            #expect(waited.status == 200)
            #expect(waited["etag"]?.stringValue == second.header("ETag"))

            // Timed out: 503 not_converged once the wait ran out.
            let late = try fetch(b.port, "GET", "/v1/networks/9/runner?min_revision=\(r1 + 1000)&wait=500ms")
            #expect(late.status == 503)
            #expect(late.errorCode == "not_converged")
            let now = try fetch(b.port, "GET", "/v1/networks/9/runner?min_revision=\(r1 + 1000)")
            #expect(now.errorCode == "not_converged", "no wait: answered at once")
        }

        @Test func manyWaitersHoldNoThreadAndAreAnsweredWhenTheServerStops() throws {
            let etcd = try EtcdProcess.single()
            let (b, dir) = try member(etcd.endpoint, id: "b", extra: ["--threads", "2"])
            defer { try? FileManager.default.removeItem(atPath: dir) }
            #expect(try put(b.port, 2, sshPolicy).status == 201)
            let statuses = Locked<[String]>([])
            let workers = Workers()
            // Far more waiters than polling threads or any worker pool.
            for _ in 0..<48 {
                workers.spawn {
                    let r = try? fetch(b.port, "GET", "/v1/networks/2/runner?min_revision=1000000&wait=30s")
                    statuses.withLock { $0.append(r?.errorCode ?? "no answer") }
                }
            }
            Thread.sleep(forTimeInterval: 1)
            // Everything else is still served meanwhile, writes included.
            #expect(try fetch(b.port, "GET", "/v1/networks").status == 200)
            #expect(
                try fetch(
                    b.port, "POST", "/v1/networks/2/decisions", headers: ["Content-Type: application/json"],
                    body: Array(#"{"event":"connect","port":22}"#.utf8)
                ).status == 200)
            #expect(try put(b.port, 3, sshPolicy).status == 201)
            #expect(statuses.withLock { $0.isEmpty }, "the waiters are still waiting")
            // Stopping answers every waiter at once (503), well before their 30 s.
            b.signal(SIGTERM)
            #expect(workers.wait(timeout: 20))
            #expect(b.waitExit() == 0)
            #expect(statuses.withLock { $0 } == Array(repeating: "not_ready", count: 48))
        }

        @Test func aWipedEtcdLeavesTheRunnersServingUntilReloadForce() throws {
            let etcd = try EtcdProcess.single()
            let (a, dir) = try member(etcd.endpoint, id: "a")
            defer { try? FileManager.default.removeItem(atPath: dir) }
            #expect(try put(a.port, 5, sshPolicy).status == 201)
            #expect(try put(a.port, 6, sshPolicy).status == 201)
            // A DELETE is a normal change, applied at once.
            #expect(try fetch(a.port, "DELETE", "/v1/networks/6/policy").status == 204)

            try etcd.wipe()
            let readyz = { try? fetch(a.port, "GET", "/readyz") }
            #expect(eventually(20) { readyz()?["degraded"] == .bool(true) })
            let degraded = try #require(readyz())
            #expect(degraded.status == 200)
            #expect(degraded["degraded_reason"]?.stringValue?.contains("no policy") == true)
            #expect(a.output.contains("DEGRADED"))
            let decision = try fetch(
                a.port, "POST", "/v1/networks/5/decisions", headers: ["Content-Type: application/json"],
                body: Array(#"{"event":"connect","port":22,"peer_tags":["ops"]}"#.utf8))
            #expect(decision.status == 200)
            #expect(decision["verdict"]?.stringValue == "allow")
            let metrics = String(decoding: try fetch(a.port, "GET", "/metrics").body, as: UTF8.self)
            #expect(metrics.contains("policyd_store_degraded 1"))
            // Registered again on the wiped etcd (a new lease), and saying so.
            #expect(eventually(20) { cluster(a.port)?["replicas"]?.arrayValue?.first?["degraded"] == .bool(true) })
            #expect(cluster(a.port)?["converged"] == .bool(false))

            let forced = try fetch(a.port, "POST", "/v1/reload?force=true")
            #expect(forced.status == 200)
            #expect(forced["results"]?.arrayValue?.first?["action"]?.stringValue == "stopped")
            #expect(try fetch(a.port, "GET", "/v1/networks/5/runner").status == 404)
            #expect(readyz()?["degraded"] == .bool(false))
            // Back to normal: a PUT on the new etcd runs.
            #expect(try put(a.port, 5, sshPolicy).status == 201)
        }
    }
}
