import Foundation
import Locking
import PolicyLanguage
import Synchronization
import Testing

@testable import PolicyService

private func compile(_ json: String) throws -> CompiledPolicy {
    try CompiledPolicy(parsing: Array(json.utf8))
}

private func runner(
    _ json: String, clock: TestClock? = nil, events: Recorder<PolicyEvent>? = nil,
    environment: RunnerEnvironment? = nil
) throws -> Runner {
    let r = Runner(
        networkID: 7, generation: 1, policy: try compile(json), etag: "\"t\"", peers: PeerTable(),
        environment: environment ?? makeEnvironment(clock: clock, events: events))
    r.start()
    return r
}

@Suite struct RunnerDecisionTests {
    @Test func contextHasTagUnionPeerAgeAndMembers() throws {
        let clock = TestClock()
        let r = try runner(
            """
            {"version":1,"default_verdict":"deny","rules":[
              {"name":"all","on":"connect","match":"members == 2 && peer_age_s == 30.0 && peer_tags == ['req','a','b','pol'] && network_id == 7","actions":[{"type":"allow"}]}]}
            """, clock: clock)
        _ = r.updateMembership([MemberInput(peerID: 1, tags: ["a", "b"]), MemberInput(peerID: 2)])
        _ = r.peers.tag(1, add: ["pol", "a"], remove: [])
        clock.advance(30)
        var input = DecisionInput(event: .connect)
        input.peerID = 1
        input.peerTags = ["req", "a"]
        let d = r.decide(input)
        #expect(d.verdict == .allow)
        #expect(d.rule == "all")
        input.peerID = 2
        #expect(r.decide(input).verdict == .deny)
        #expect(r.decisionCounts == DecisionCounts(allow: 1, deny: 1, errors: 0))
    }

    @Test func unknownPeerHasAgeZeroAndOnlyRequestTags() throws {
        let r = try runner(
            """
            {"version":1,"rules":[{"name":"x","on":"dial","match":"peer_age_s == 0.0 && peer_tags == ['a'] && members == 0","actions":[{"type":"deny"}]}]}
            """)
        var input = DecisionInput(event: .dial)
        input.peerID = 99
        input.peerTags = ["a", "a"]
        #expect(r.decide(input).verdict == .deny)
    }

    @Test func gateDirectivesTagTheTrackedPeerAndPublishWebhooks() throws {
        let events = Recorder<PolicyEvent>()
        let r = try runner(
            """
            {"version":1,"rules":[{"name":"mark","on":"connect","match":"port == 22","actions":[
              {"type":"tag","params":{"add":["ssh"]}},{"type":"webhook","params":{"event":"ssh"}},{"type":"allow"}]}]}
            """, events: events)
        _ = r.updateMembership([MemberInput(peerID: 5)])
        var input = DecisionInput(event: .connect)
        input.peerID = 5
        input.port = 22
        let d = r.decide(input)
        #expect(d.verdict == .allow)
        #expect(d.directives.map(\.type) == [.tag, .webhook, .allow])
        #expect(r.peers.record(5)?.policyTags == ["ssh"])
        #expect(events.all == [PolicyEvent(name: "policy.ssh", networkID: 7, rule: "mark")])
    }

    @Test func stoppedRunnerAppliesNoMoreDirectives() throws {
        let r = try runner(
            """
            {"version":1,"rules":[{"name":"mark","on":"connect","match":"true","actions":[{"type":"tag","params":{"add":["x"]}}]}]}
            """)
        _ = r.updateMembership([MemberInput(peerID: 5)])
        r.stop()
        var input = DecisionInput(event: .connect)
        input.peerID = 5
        _ = r.decide(input)
        #expect(r.peers.record(5)?.policyTags == [])
        #expect(r.runCycle() == nil)
    }

    @Test func runtimeErrorDeniesWhenFailClosedAndIsCounted() throws {
        let r = try runner(
            """
            {"version":1,"default_verdict":"allow","rules":[{"name":"bad","on":"connect","match":"port % 0 == 1","actions":[{"type":"allow"}]}]}
            """)
        let d = r.decide(DecisionInput(event: .connect))
        #expect(d.verdict == .deny)
        #expect(d.rule == "bad")
        #expect(d.error != nil)
        #expect(r.decisionCounts == DecisionCounts(allow: 0, deny: 1, errors: 1))
    }
}

@Suite struct RunnerMembershipTests {
    @Test func joinsLeavesAndRefreshes() throws {
        let events = Recorder<PolicyEvent>()
        let r = try runner(
            """
            {"version":1,"rules":[
              {"name":"greet","on":"join","match":"true","actions":[{"type":"tag","params":{"add":["new"]}}]},
              {"name":"bye","on":"leave","match":"peer_id == 2","actions":[{"type":"webhook","params":{"event":"left"}}]}]}
            """, events: events)
        var result = r.updateMembership([MemberInput(peerID: 1, tags: ["x"]), MemberInput(peerID: 2)])
        #expect(result == MembershipResult(joined: [1, 2], left: [], denied: [], peers: 2))
        #expect(r.peers.record(1)?.policyTags == ["new"])
        result = r.updateMembership([MemberInput(peerID: 1, tags: ["y"]), MemberInput(peerID: 3)])
        #expect(result == MembershipResult(joined: [3], left: [2], denied: [], peers: 2))
        #expect(r.peers.record(1)?.memberTags == ["y"])
        #expect(events.all.map(\.name) == ["policy.left"])
    }

    @Test func denyOnJoinRefusesWithACooldown() throws {
        let clock = TestClock()
        let r = try runner(
            """
            {"version":1,"rules":[{"name":"no-odd","on":"join","match":"peer_id % 2 == 1","actions":[{"type":"deny"}]}]}
            """, clock: clock)
        #expect(r.updateMembership([MemberInput(peerID: 1), MemberInput(peerID: 2)]).denied == [1])
        #expect(r.peers.snapshot().map(\.peerID) == [2])
        clock.advance(59)
        #expect(r.updateMembership([MemberInput(peerID: 1), MemberInput(peerID: 2)]).denied == [1])
        clock.advance(2)
        // The cooldown is over; the join rule still denies, and a fresh cooldown begins.
        let again = r.updateMembership([MemberInput(peerID: 1), MemberInput(peerID: 2)])
        #expect(again.denied == [1])
        #expect(r.peers.withState { $0.cooldowns[1] } == clock.now + 60)
    }

    @Test func aFailingJoinRuleAddsThePeerWithoutDirectivesAndIsCounted() throws {
        let r = try runner(
            """
            {"version":1,"rules":[{"name":"bad","on":"join","match":"peer_id % members == 1","actions":[{"type":"deny"}]}]}
            """)
        #expect(r.actionErrorCount == 0)
        let result = r.updateMembership([MemberInput(peerID: 5)])
        #expect(result.joined == [5])
        #expect(result.denied == [])
        #expect(r.actionErrorCount == 1)
    }

    @Test func maxPeersCapsTracking() throws {
        let r = try runner(
            """
            {"version":1,"config":{"max_peers":2},"rules":[{"name":"x","on":"connect","match":"true","actions":[{"type":"allow"}]}]}
            """)
        let result = r.updateMembership((1...5).map { MemberInput(peerID: $0) })
        #expect(result.joined == [1, 2])
        #expect(result.peers == 2)
    }
}

@Suite struct RunnerCycleTests {
    @Test func cycleRunsPerPeerPassThenFleetPass() throws {
        let clock = TestClock()
        let r = try runner(
            """
            {"version":1,"rules":[
              {"name":"mark-old","on":"cycle","match":"peer_age_s > 100.0","actions":[{"type":"tag","params":{"add":["old"]}}]},
              {"name":"expire","on":"cycle","match":"true","actions":[
                 {"type":"evict_where","params":{"match":"has_tag(peer_tags, 'old') && peer_id > 1"}},
                 {"type":"fill","params":{"count":3}}]}]}
            """, clock: clock)
        _ = r.updateMembership([MemberInput(peerID: 1), MemberInput(peerID: 2)])
        clock.advance(200)
        _ = r.updateMembership([MemberInput(peerID: 1), MemberInput(peerID: 2), MemberInput(peerID: 3)])
        let result = try #require(r.runCycle())
        #expect(result.cycleNum == 1)
        #expect(result.tagged == 2)
        #expect(result.evicted == 1)
        #expect(result.peers == 2)
        #expect(result.emitted == [EmittedDirective(type: .fill, rule: "expire")])
        #expect(r.peers.snapshot().map(\.peerID) == [1, 3])
        #expect(r.runCycle()?.cycleNum == 2)
    }

    @Test func pruneRemovesOldestOrLeastActive() throws {
        let clock = TestClock()
        let r = try runner(
            """
            {"version":1,"rules":[{"name":"p","on":"cycle","match":"peer_count > 2","actions":[{"type":"prune","params":{"count":1,"by":"activity"}}]}]}
            """, clock: clock)
        _ = r.updateMembership([MemberInput(peerID: 1)])
        clock.advance(1)
        _ = r.updateMembership([MemberInput(peerID: 1), MemberInput(peerID: 2)])
        clock.advance(1)
        _ = r.updateMembership([MemberInput(peerID: 1), MemberInput(peerID: 2), MemberInput(peerID: 3)])
        var input = DecisionInput(event: .connect)
        input.peerID = 2
        clock.advance(1)
        _ = r.decide(input)  // peer 2 is now the most recently seen; 1 and 3 were seen together before
        let result = try #require(r.runCycle())
        #expect(result.pruned == 1)
        #expect(r.peers.snapshot().map(\.peerID) == [2, 3])
    }

    @Test func stopWaitsForTheCycleInProgress() throws {
        let entered = DispatchSemaphore(value: 0)
        let finished = Atomic<Bool>(false)
        var env = makeEnvironment()
        env.peersChanged = { _, _ in
            entered.signal()
            Thread.sleep(forTimeInterval: 0.3)
            finished.store(true, ordering: .sequentiallyConsistent)
        }
        let r = try runner(
            #"{"version":1,"rules":[{"name":"c","on":"cycle","match":"true","actions":[{"type":"log","params":{"message":"tick"}}]}]}"#,
            environment: env)
        let done = DispatchSemaphore(value: 0)
        Thread {
            _ = r.runCycle()
            done.signal()
        }.start()
        entered.wait()
        r.stop()
        let cycleFinished = finished.load(ordering: .sequentiallyConsistent)
        #expect(cycleFinished, "stop returned while a cycle was still running")
        #expect(r.state == .stopped)
        done.wait()
    }

    @Test func cycleTimerRunsWhenConfigured() throws {
        let r = try runner(
            #"{"version":1,"config":{"cycle":"1s"},"rules":[{"name":"c","on":"cycle","match":"true","actions":[{"type":"log","params":{"message":"tick"}}]}]}"#
        )
        let deadline = Date().addingTimeInterval(10)
        while r.cycleNum == 0 && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        #expect(r.cycleNum >= 1)
        r.stop()
        let after = r.cycleNum
        Thread.sleep(forTimeInterval: 1.3)
        #expect(r.cycleNum == after)
    }

    @Test func noTimerWithoutCycleConfig() throws {
        let r = try runner(
            #"{"version":1,"rules":[{"name":"c","on":"cycle","match":"true","actions":[{"type":"log","params":{"message":"tick"}}]}]}"#)
        #expect(r.control.withLock { $0.timer == nil })
        r.stop()
    }
}
