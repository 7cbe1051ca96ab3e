import EtcdTestServer
import Foundation
import HTTPTestClient
import Locking
import PolicyLanguage
import Testing

/// `policyd serve --etcd-endpoints` processes sharing their policies through real etcd.
private func replica(_ endpoints: String, timeout: String = "1", dir: String = temporaryPath("policyd-replica")) throws
    -> (PolicydProcess, String)
{
    let process = try PolicydProcess([
        "serve", "--port", "0", "--data-dir", dir, "--etcd-endpoints", endpoints, "--etcd-timeout", timeout,
    ])
    try process.waitReady(timeout: 20)
    return (process, dir)
}

private func put(_ port: Int, _ id: Int, _ body: String, headers: [String] = []) throws -> TestResponse {
    try fetch(port, "PUT", "/v1/networks/\(id)/policy", headers: ["Content-Type: application/json"] + headers, body: Array(body.utf8))
}

private func runner(_ port: Int, _ id: Int) -> JSONValue? {
    guard let r = try? fetch(port, "GET", "/v1/networks/\(id)/runner"), r.status == 200 else { return nil }
    return try? JSONParser().parse(r.body)
}

private func decide(_ port: Int, _ id: Int) throws -> TestResponse {
    try fetch(
        port, "POST", "/v1/networks/\(id)/decisions", headers: ["Content-Type: application/json"],
        body: Array(#"{"event":"connect","port":22}"#.utf8))
}

/// Polls every 20 ms until `condition` holds, at most `timeout` seconds.
private func eventually(_ timeout: TimeInterval = 15, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if condition() { return true }
        Thread.sleep(forTimeInterval: 0.02)
    }
    return condition()
}

extension HeavyEndToEnd {
    @Suite(.serialized) struct ReplicaTests {
        @Test func aPutOnOneReplicaRunsOnAllThree() throws {
            let etcd = try EtcdProcess.single()
            let replicas = try (0..<3).map { _ in try replica(etcd.endpoint) }
            defer { for (_, dir) in replicas { try? FileManager.default.removeItem(atPath: dir) } }
            let ports = replicas.map(\.0.port)
            let created = try put(ports[0], 7, constantPolicy("allow", name: "v1"))
            #expect(created.status == 201)
            let revision = try #require(created["revision"]?.intValue)
            for port in ports {
                #expect(eventually { runner(port, 7)?["revision"]?.intValue == revision })
                #expect(runner(port, 7)?["etag"]?.stringValue == created.header("ETag"))
                #expect(try decide(port, 7)["rule"]?.stringValue == "v1")
            }
            let deleted = try fetch(ports[2], "DELETE", "/v1/networks/7/policy")
            #expect(deleted.status == 204)
            for port in ports { #expect(eventually { runner(port, 7) == nil }) }
        }

        @Test func aReplicaStartedBeforeEtcdIsNotReadyUntilItsFirstLoad() throws {
            let peer = try freePort()
            let etcd = try EtcdProcess(
                name: "etcd0", clientPort: try freePort(), peerPort: peer, initialCluster: "etcd0=http://127.0.0.1:\(peer)")
            defer { etcd.stop() }
            let dir = temporaryPath("policyd-replica")
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let process = try PolicydProcess([
                "serve", "--port", "0", "--data-dir", dir, "--etcd-endpoints", etcd.endpoint, "--etcd-timeout", "1",
            ])
            Thread.sleep(forTimeInterval: 0.5)
            let starting = try fetch(process.port, "GET", "/readyz")
            #expect(starting.status == 503)
            #expect(starting["status"]?.stringValue == "starting")
            #expect(try put(process.port, 1, sshPolicy).errorCode == "not_ready")
            try etcd.start()
            try process.waitReady(timeout: 20)
            #expect(eventually { (try? fetch(process.port, "GET", "/readyz"))?["store"]?.stringValue == "connected" })
            #expect(try put(process.port, 1, sshPolicy).status == 201)
        }

        @Test func twoReplicasWritingWithTheSameIfMatchGetOne200AndOne412() throws {
            let etcd = try EtcdProcess.single()
            let (a, dirA) = try replica(etcd.endpoint)
            let (b, dirB) = try replica(etcd.endpoint)
            defer { for dir in [dirA, dirB] { try? FileManager.default.removeItem(atPath: dir) } }
            let first = try put(a.port, 3, constantPolicy("allow", name: "first"))
            let etag = try #require(first.header("ETag"))
            #expect(eventually { runner(b.port, 3)?["etag"]?.stringValue == etag })
            let statuses = Locked<[Int]>([])
            let workers = Workers()
            for (i, port) in [a.port, b.port].enumerated() {
                workers.spawn {
                    let status =
                        (try? put(port, 3, constantPolicy("deny", name: "writer-\(i)"), headers: ["If-Match: \(etag)"]))?.status ?? 0
                    statuses.withLock { $0.append(status) }
                }
            }
            #expect(workers.wait(timeout: 20))
            #expect(statuses.withLock { $0.sorted() } == [200, 412])
        }

        @Test func withEtcdKilledDecisionsGoOnAndWritesAnswer503ThenRecover() throws {
            let etcd = try EtcdProcess.single()
            let (a, dir) = try replica(etcd.endpoint)
            defer { try? FileManager.default.removeItem(atPath: dir) }
            #expect(try put(a.port, 5, sshPolicy).status == 201)
            etcd.kill9()
            #expect(try decide(a.port, 5).status == 200)
            #expect(try fetch(a.port, "GET", "/v1/networks/5/policy").status == 200)
            let refused = try put(a.port, 5, constantPolicy("deny", name: "down"))
            #expect(refused.status == 503)
            #expect(refused.errorCode == "store_unavailable")
            #expect(eventually { (try? fetch(a.port, "GET", "/readyz"))?["store"]?.stringValue == "unavailable" })
            #expect(try fetch(a.port, "GET", "/readyz").status == 200)
            let metrics = String(decoding: try fetch(a.port, "GET", "/metrics").body, as: UTF8.self)
            #expect(metrics.contains("policyd_store_connected 0"))

            try etcd.start()
            #expect(eventually { (try? put(a.port, 5, constantPolicy("deny", name: "back")))?.status == 200 })
            #expect(try decide(a.port, 5)["rule"]?.stringValue == "back")
        }

        @Test func aReplicaKilledAndRestartedLoadsEverythingFromEtcd() throws {
            let etcd = try EtcdProcess.single()
            let (a, dirA) = try replica(etcd.endpoint)
            var (b, dirB) = try replica(etcd.endpoint)
            let kept = dirB
            defer { for dir in [dirA, dirB] { try? FileManager.default.removeItem(atPath: dir) } }
            for id in 1...5 { #expect(try put(a.port, id, constantPolicy("allow", name: "p\(id)")).status == 201) }
            #expect(eventually { (1...5).allSatisfy { runner(b.port, $0) != nil } })
            b.signal(SIGKILL)
            _ = b.waitExit()
            #expect(try fetch(a.port, "DELETE", "/v1/networks/1/policy").status == 204)
            #expect(try put(a.port, 2, constantPolicy("deny", name: "p2b")).status == 200)
            (b, dirB) = try replica(etcd.endpoint, dir: kept)
            #expect(runner(b.port, 1) == nil)
            #expect(runner(b.port, 2)?["revision"]?.intValue == runner(a.port, 2)?["revision"]?.intValue)
            #expect((2...5).allSatisfy { runner(b.port, $0) != nil })
        }

        @Test func aFrozenReplicaConvergesAfterTheHistoryItMissedWasCompacted() throws {
            let etcd = try EtcdProcess.single()
            let (a, dirA) = try replica(etcd.endpoint)
            let (b, dirB) = try replica(etcd.endpoint)
            defer { for dir in [dirA, dirB] { try? FileManager.default.removeItem(atPath: dir) } }
            for id in 1...3 { #expect(try put(a.port, id, constantPolicy("allow", name: "p\(id)")).status == 201) }
            #expect(eventually { (1...3).allSatisfy { runner(b.port, $0) != nil } })
            b.signal(SIGSTOP)
            #expect(try fetch(a.port, "DELETE", "/v1/networks/1/policy").status == 204)
            #expect(try put(a.port, 2, constantPolicy("deny", name: "p2b")).status == 200)
            let last = try put(a.port, 4, constantPolicy("allow", name: "p4"))
            let revision = try #require(last["revision"]?.intValue)
            #expect(try etcd.etcdctl(["compact", String(revision)]).status == 0)
            b.signal(SIGCONT)
            #expect(eventually { runner(b.port, 1) == nil })
            #expect(eventually { runner(b.port, 2)?["revision"]?.intValue == runner(a.port, 2)?["revision"]?.intValue })
            #expect(eventually { runner(b.port, 4) != nil })
            #expect(runner(b.port, 3) != nil)
        }

        @Test func aThreeMemberEtcdLosingItsLeaderKeepsTakingWritesOnTheFirstAttempt() throws {
            let members = try EtcdProcess.cluster(size: 3)
            let endpoints = members.map(\.endpoint).joined(separator: ",")
            // The default --etcd-timeout: room for an election (about a second) and a write after it.
            let (a, dirA) = try replica(endpoints, timeout: "3")
            let (b, dirB) = try replica(endpoints, timeout: "3")
            defer { for dir in [dirA, dirB] { try? FileManager.default.removeItem(atPath: dir) } }
            #expect(try put(a.port, 1, constantPolicy("allow", name: "before")).status == 201)
            let leader = try #require(members.first { $0.isLeader() })
            leader.kill9()
            // Writes that meet the election (a proposal lost with the leader, members without
            // one) are sent again by the replica within its timeout: each lands at once.
            for i in 0..<5 {
                let r = try put(a.port, 1, constantPolicy("allow", name: "after-\(i)"))
                #expect(r.status == 200, "write \(i): \(r.status) \(String(decoding: r.body, as: UTF8.self))")
            }
            #expect(eventually { (try? decide(b.port, 1))?["rule"]?.stringValue == "after-4" })
            #expect(members.filter { $0 !== leader }.contains { $0.isLeader() })
        }

        @Test func decisionsOnTwoReplicasNeverFailWhileAThirdWritesContinuously() throws {
            let etcd = try EtcdProcess.single()
            let replicas = try (0..<3).map { _ in try replica(etcd.endpoint) }
            defer { for (_, dir) in replicas { try? FileManager.default.removeItem(atPath: dir) } }
            let ports = replicas.map(\.0.port)
            #expect(try put(ports[2], 9, constantPolicy("allow", name: "w0")).status == 201)
            for port in ports.prefix(2) { #expect(eventually { runner(port, 9) != nil }) }
            let stop = Locked(false)
            let bad = Locked<[String]>([])
            let rules = Locked<Set<String>>([])
            let workers = Workers()
            for port in ports.prefix(2) {
                workers.spawn {
                    while !stop.withLock({ $0 }) {
                        guard let r = try? decide(port, 9) else {
                            bad.withLock { $0.append("connection failed") }
                            continue
                        }
                        if r.status != 200 { bad.withLock { $0.append("\(r.status)") } }
                        if let rule = r["rule"]?.stringValue { rules.withLock { _ = $0.insert(rule) } }
                    }
                }
            }
            var written: Set<String> = ["w0"]
            for i in 1...40 {
                let name = "w\(i)"
                let r = try put(ports[2], 9, constantPolicy(i % 2 == 0 ? "allow" : "deny", name: name))
                #expect(r.status == 200)
                written.insert(name)
            }
            Thread.sleep(forTimeInterval: 0.5)
            stop.withLock { $0 = true }
            #expect(workers.wait(timeout: 20))
            #expect(bad.withLock { $0 } == [])
            #expect(rules.withLock { $0 }.isSubset(of: written))
            #expect(rules.withLock { $0.count } > 1)
        }
    }
}
