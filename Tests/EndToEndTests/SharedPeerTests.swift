import EtcdTestServer
import Foundation
import HTTPTestClient
import Locking
import PolicyLanguage
import Testing

/// `policyd serve --etcd-endpoints` processes sharing peer tables and one cycle owner
/// through a real etcd (issue 11, points 1 and 2).
private func replica(_ endpoints: String, leaseTTL: Int = 10) throws -> (PolicydProcess, String) {
    let dir = temporaryPath("policyd-peers")
    let process = try PolicydProcess([
        "serve", "--port", "0", "--data-dir", dir, "--etcd-endpoints", endpoints, "--etcd-timeout", "2",
        "--lease-ttl", String(leaseTTL),
    ])
    try process.waitReady(timeout: 20)
    return (process, dir)
}

/// Join rule tags `probation`; `probation` peers may connect; a `1s` cycle logs `tick`.
private let clusterPolicy = """
    {"version": 1, "default_verdict": "deny", "config": {"cycle": "1s"}, "rules": [
      {"name": "probation-ok", "on": "connect", "match": "has_tag(peer_tags, 'probation')", "actions": [{"type": "allow"}]},
      {"name": "mark", "on": "join", "match": "true", "actions": [{"type": "tag", "params": {"add": ["probation"]}}]},
      {"name": "tick", "on": "cycle", "match": "true", "actions": [{"type": "log", "params": {"message": "tick"}}]}
    ]}
    """

private func json(_ port: Int, _ method: String, _ path: String, _ body: String? = nil) -> TestResponse? {
    try? fetch(
        port, method, path, headers: body == nil ? [] : ["Content-Type: application/json"], body: Array((body ?? "").utf8))
}

private func runner(_ port: Int, _ id: Int) -> JSONValue? {
    guard let r = json(port, "GET", "/v1/networks/\(id)/runner"), r.status == 200 else { return nil }
    return r.json
}

private func members(_ ids: ClosedRange<Int>) -> String {
    #"{"members":["# + ids.map { #"{"peer_id":\#($0)}"# }.joined(separator: ",") + "]}"
}

/// Polls every 50 ms until `condition` holds, at most `timeout` seconds.
private func eventually(_ timeout: TimeInterval = 15, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if condition() { return true }
        Thread.sleep(forTimeInterval: 0.05)
    }
    return condition()
}

/// The cycle owner all `ports` name, once they agree.
private func agreedOwner(_ ports: [Int], _ id: Int, timeout: TimeInterval = 15) -> String? {
    var owner: String?
    _ = eventually(timeout) {
        let owners = ports.map { runner($0, id)?["cycle_owner"]?.stringValue }
        owner = owners[0]
        return owner != nil && owners.allSatisfy { $0 == owner }
    }
    return owner
}

/// Every replica's `cycle_num`, once they agree (they may be a tick apart while it propagates).
private func agreedCycleNum(_ ports: [Int], _ id: Int) -> Int? {
    var agreed: Int?
    _ = eventually(5) {
        let nums = ports.map { runner($0, id)?["cycle_num"]?.intValue }
        agreed = nums[0]
        return agreed != nil && nums.allSatisfy { $0 == agreed }
    }
    return agreed
}

extension HeavyEndToEnd {
    @Suite(.serialized) struct SharedPeerTests {
        @Test func threeReplicasHoldOnePeerTableAndADecisionOnCSeesATagAJoinSetOnA() throws {
            let etcd = try EtcdProcess.single()
            let replicas = try (0..<3).map { _ in try replica(etcd.endpoint) }
            defer { for (_, dir) in replicas { try? FileManager.default.removeItem(atPath: dir) } }
            let ports = replicas.map(\.0.port)
            #expect(json(ports[0], "PUT", "/v1/networks/7/policy", clusterPolicy)?.status == 201)
            for port in ports { #expect(eventually { runner(port, 7) != nil }) }
            let joined = try #require(json(ports[0], "PUT", "/v1/networks/7/members", members(1...3)))
            #expect(joined.status == 200)
            #expect(joined["joined"]?.arrayValue?.compactMap(\.intValue) == [1, 2, 3])
            // Peer 2 has no tags of its own: only the join rule run on A gave it `probation`.
            let decide = #"{"event":"connect","peer_id":2,"port":22}"#
            #expect(eventually { json(ports[2], "POST", "/v1/networks/7/decisions", decide)?["verdict"]?.stringValue == "allow" })
            let tables = ports.map { port -> String in
                _ = eventually { (json(port, "GET", "/v1/networks/7/peers")?["peers"]?.arrayValue?.count ?? 0) == 3 }
                let peers = json(port, "GET", "/v1/networks/7/peers")?["peers"]?.arrayValue ?? []
                return peers.map { p in
                    "\(p["peer_id"]?.intValue ?? 0) \(p["added_at"]?.stringValue ?? "") \(p["policy_tags"]?.arrayValue?.count ?? 0)"
                }.joined(separator: ",")
            }
            #expect(Set(tables).count == 1, "\(tables)")
            // A second list on C: computed against the table in etcd, so only the newcomer joins.
            let more = json(ports[2], "PUT", "/v1/networks/7/members", members(1...4))
            #expect(more?["joined"]?.arrayValue?.compactMap(\.intValue) == [4])
        }

        @Test func membershipWritesRacingOnTwoReplicasLoseNoMember() throws {
            let etcd = try EtcdProcess.single()
            let replicas = try (0..<2).map { _ in try replica(etcd.endpoint) }
            defer { for (_, dir) in replicas { try? FileManager.default.removeItem(atPath: dir) } }
            let ports = replicas.map(\.0.port)
            #expect(json(ports[0], "PUT", "/v1/networks/3/policy", clusterPolicy)?.status == 201)
            for port in ports { #expect(eventually { runner(port, 3) != nil }) }
            // Both replicas are sent the same growing list at the same moment, round after round:
            // each computes against the table in etcd and commits with a compare on its revision,
            // so every peer joins exactly once (on one of them) and none is lost.
            let joined = Locked([Int]())
            let failures = Locked([String]())
            for round in 1...12 {
                let workers = Workers()
                for port in ports {
                    workers.spawn {
                        guard let r = json(port, "PUT", "/v1/networks/3/members", members(1...round)), r.status == 200 else {
                            failures.withLock { $0.append("round \(round) on \(port)") }
                            return
                        }
                        joined.withLock { $0 += r["joined"]?.arrayValue?.compactMap(\.intValue) ?? [] }
                    }
                }
                #expect(workers.wait(timeout: 30))
            }
            #expect(failures.withLock { $0 } == [])
            #expect(joined.withLock { $0.sorted() } == Array(1...12))
            for port in ports {
                #expect(eventually { (json(port, "GET", "/v1/networks/3/peers")?["peers"]?.arrayValue?.count ?? 0) == 12 })
            }
        }

        @Test func aOneSecondCycleIsCountedOncePerSecondClusterWide() throws {
            let etcd = try EtcdProcess.single()
            let replicas = try (0..<3).map { _ in try replica(etcd.endpoint) }
            defer { for (_, dir) in replicas { try? FileManager.default.removeItem(atPath: dir) } }
            let ports = replicas.map(\.0.port)
            #expect(json(ports[1], "PUT", "/v1/networks/11/policy", clusterPolicy)?.status == 201)
            let owner = try #require(agreedOwner(ports, 11))
            #expect(ports.map { "127.0.0.1:\($0)" }.contains(owner))
            #expect(eventually { (runner(ports[0], 11)?["cycle_num"]?.intValue ?? 0) >= 1 })
            let start = try #require(agreedCycleNum(ports, 11))
            let ticksBefore = replicas.map { $0.0.output.components(separatedBy: "] tick").count - 1 }
            Thread.sleep(forTimeInterval: 6)
            let end = try #require(agreedCycleNum(ports, 11))
            let ticks = zip(replicas, ticksBefore).map { r, before in r.0.output.components(separatedBy: "] tick").count - 1 - before }
            // ~6 (once per second on one replica), never ~18 (once per replica).
            #expect((4...8).contains(end - start), "cycle_num \(start) -> \(end)")
            // Each committed cycle fired its log directive once, on the owner only.
            #expect(ticks.filter { $0 > 0 }.count == 1, "ticks per replica \(ticks)")
            #expect(abs(ticks.reduce(0, +) - (end - start)) <= 1, "ticks \(ticks), cycles \(end - start)")
        }

        @Test func whenTheOwnerIsKilledAnotherTakesOverWithinTheLeaseTTLPlusAPeriod() throws {
            let etcd = try EtcdProcess.single()
            let replicas = try (0..<3).map { _ in try replica(etcd.endpoint, leaseTTL: 2) }
            defer { for (_, dir) in replicas { try? FileManager.default.removeItem(atPath: dir) } }
            let ports = replicas.map(\.0.port)
            #expect(json(ports[0], "PUT", "/v1/networks/12/policy", clusterPolicy)?.status == 201)
            let owner = try #require(agreedOwner(ports, 12))
            let index = try #require(ports.firstIndex { "127.0.0.1:\($0)" == owner })
            let survivors = ports.enumerated().filter { $0.offset != index }.map(\.element)
            #expect(eventually { (runner(survivors[0], 12)?["cycle_num"]?.intValue ?? 0) >= 2 })
            replicas[index].0.signal(SIGKILL)
            let killedAt = Date()
            _ = replicas[index].0.waitExit()
            // The owner's last cycle (committed before it died) has reached the survivors.
            let before = try #require(agreedCycleNum(survivors, 12))
            // Cycles go on: a survivor owns them within the TTL (2 s) plus one period (1 s), plus slack for a loaded machine.
            #expect(eventually(15) { (runner(survivors[0], 12)?["cycle_num"]?.intValue ?? 0) > before })
            let failover = Date().timeIntervalSince(killedAt)
            print("cycle owner failover (lease TTL 2 s, cycle 1 s): cycles again after \(String(format: "%.2f", failover)) s")
            let next = try #require(agreedOwner(survivors, 12))
            #expect(next != owner)
            #expect(failover < 8, "failover took \(failover) s")
        }

        @Test func aFrozenOwnerRunsNoCycleWhenItWakes() throws {
            let etcd = try EtcdProcess.single()
            let replicas = try (0..<2).map { _ in try replica(etcd.endpoint, leaseTTL: 2) }
            defer { for (_, dir) in replicas { try? FileManager.default.removeItem(atPath: dir) } }
            let ports = replicas.map(\.0.port)
            #expect(json(ports[0], "PUT", "/v1/networks/13/policy", clusterPolicy)?.status == 201)
            let owner = try #require(agreedOwner(ports, 13))
            let frozen = try #require(ports.firstIndex { "127.0.0.1:\($0)" == owner })
            let other = ports[1 - frozen]
            #expect(eventually { (runner(other, 13)?["cycle_num"]?.intValue ?? 0) >= 2 })
            replicas[frozen].0.signal(SIGSTOP)
            // Frozen past its lease (2 s): the other replica takes the cycles over.
            #expect(eventually(15) { runner(other, 13)?["cycle_owner"]?.stringValue == "127.0.0.1:\(other)" })
            Thread.sleep(forTimeInterval: 2)
            replicas[frozen].0.signal(SIGCONT)
            let woke = Date()
            #expect(agreedOwner(ports, 13) == "127.0.0.1:\(other)")
            #expect(replicas[frozen].0.waitForLog("lost the cycles"))
            let start = try #require(agreedCycleNum(ports, 13))
            Thread.sleep(forTimeInterval: 4)
            let end = try #require(agreedCycleNum(ports, 13))
            let elapsed = Date().timeIntervalSince(woke)
            // One owner's pace (about one a second), not two: the woken replica committed no cycle.
            #expect(end - start <= Int(elapsed) + 1, "cycle_num \(start) -> \(end) in \(elapsed) s")
            #expect(end - start >= 2)
            let output = replicas[frozen].0.output
            let afterWake = output.components(separatedBy: "lost the cycles").dropFirst().joined()
            #expect(!afterWake.contains("] tick"), "the woken replica ran a cycle")
        }

        @Test func withEtcdDownMembershipAnswers503AndCyclesGoOnWhenItIsBack() throws {
            let etcd = try EtcdProcess.single()
            let (a, dir) = try replica(etcd.endpoint)
            defer { try? FileManager.default.removeItem(atPath: dir) }
            #expect(json(a.port, "PUT", "/v1/networks/14/policy", clusterPolicy)?.status == 201)
            #expect(json(a.port, "PUT", "/v1/networks/14/members", members(1...2))?.status == 200)
            #expect(eventually { (runner(a.port, 14)?["cycle_num"]?.intValue ?? 0) >= 1 })
            etcd.kill9()
            let refused = json(a.port, "PUT", "/v1/networks/14/members", members(1...3))
            #expect(refused?.status == 503)
            #expect(refused?.errorCode == "store_unavailable")
            #expect(json(a.port, "POST", "/v1/networks/14/cycle")?.status == 503)
            // Decisions and the last committed table go on.
            let decide = #"{"event":"connect","peer_id":1,"port":22}"#
            #expect(json(a.port, "POST", "/v1/networks/14/decisions", decide)?["verdict"]?.stringValue == "allow")
            #expect(runner(a.port, 14)?["peers"]?.intValue == 2)
            try etcd.start()
            let back = runner(a.port, 14)?["cycle_num"]?.intValue ?? 0
            #expect(eventually(20) { (runner(a.port, 14)?["cycle_num"]?.intValue ?? 0) > back })
            #expect(eventually { json(a.port, "PUT", "/v1/networks/14/members", members(1...3))?.status == 200 })
            #expect(runner(a.port, 14)?["peers"]?.intValue == 3)
        }
    }
}
