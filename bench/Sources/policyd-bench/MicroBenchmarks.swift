// The micro-benchmarks (`policyd-bench` without arguments): how long a 50-rule document
// takes to compile, and what a gate decision costs on a realistic 10-rule policy.
import PolicyLanguage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

let clock = ContinuousClock()

func nanoseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1e9 + Double(duration.components.attoseconds) / 1e9
}

/// CPU time this process has used, to tell slow code from a busy machine (wall time
/// from ContinuousClock includes the time other processes had the CPU).
func cpuNanoseconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) * 1e9 + Double(time.tv_nsec)
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

func compileOrExit(_ text: String, _ what: String) -> CompiledPolicy {
    do {
        return try CompiledPolicy(parsing: Array(text.utf8))
    } catch {
        print("policyd-bench: the \(what) does not compile:")
        switch error {
        case .invalidJSON(let jsonError): print("  \(jsonError)")
        case .invalidPolicy(let problems): for problem in problems.prefix(5) { print("  \(problem)") }
        }
        exit(1)
    }
}

/// 50 rules over every event, with the operators and builtins real policies use.
func fiftyRuleDocument() -> String {
    let events = ["connect", "dial", "datagram", "cycle", "join", "leave"]
    let rules = (0..<50).map { i -> String in
        let event = events[i % events.count]
        let match: String
        let action: String
        switch event {
        case "connect", "dial":
            match = "port == \(1000 + i) && has_tag(peer_tags, 'team-\(i)') || port in [80, 443] && sender_rating > 0.\(i % 10)"
            action = i % 2 == 0 ? #"{"type": "allow"}"# : #"{"type": "tag", "params": {"add": ["t\#(i)"]}}, {"type": "deny"}"#
        case "datagram":
            match = "direction == 'in' && size > \(i * 10) && any(peer_tags, {# startsWith 'grp-'}) && not has_tag(local_tags, 'edge')"
            action = #"{"type": "deny"}"#
        case "cycle":
            match = "peer_count > \(i) && has_tag(peer_tags, 'probation') && peer_age_s > duration('\(i)h')"
            action = #"{"type": "evict_where", "params": {"match": "since(last_seen) > duration('6h') && len(peer_tags) < \#(i)"}}"#
        case "join":
            match = "members > \(i) && peer_id % 7 != \(i % 7)"
            action = #"{"type": "tag", "params": {"add": ["new"]}}, {"type": "webhook", "params": {"event": "joined"}}"#
        default:
            match = "peer_id > \(i) && network_id != 0"
            action = #"{"type": "log", "params": {"message": "left \#(i)"}}"#
        }
        return #"{"name": "rule-\#(i)", "on": "\#(event)", "match": "\#(match)", "actions": [\#(action)]}"#
    }
    return
        #"{"version": 1, "default_verdict": "deny", "config": {"cycle": "1h", "max_peers": 500}, "rules": [\#(rules.joined(separator: ",\n"))]}"#
}

/// A realistic gate policy: tagging, a few allows and denies, a default deny.
let tenRuleDocument = """
    {"version": 1, "default_verdict": "deny", "rules": [
      {"name": "tag-ops", "on": "connect", "match": "has_tag(peer_tags, 'ops')", "actions": [{"type": "tag", "params": {"add": ["seen-ops"]}}]},
      {"name": "block-banned", "on": "connect", "match": "has_tag(peer_tags, 'banned')", "actions": [{"type": "log", "params": {"message": "banned"}}, {"type": "deny"}]},
      {"name": "low-rating", "on": "connect", "match": "sender_rating < 0.1 && peer_age_s < 3600.0", "actions": [{"type": "deny"}]},
      {"name": "ops-ssh", "on": "connect", "match": "port == 22 && has_tag(peer_tags, 'ops')", "actions": [{"type": "allow"}]},
      {"name": "no-ssh", "on": "connect", "match": "port == 22", "actions": [{"type": "deny"}]},
      {"name": "web", "on": "connect", "match": "port in [80, 443, 8080]", "actions": [{"type": "allow"}]},
      {"name": "metrics", "on": "connect", "match": "port == 9100 && has_tag(local_tags, 'monitored')", "actions": [{"type": "allow"}]},
      {"name": "high-ports", "on": "connect", "match": "port >= 49152 && members < 100", "actions": [{"type": "tag", "params": {"add": ["ephemeral"]}}, {"type": "allow"}]},
      {"name": "dial-any", "on": "dial", "match": "true", "actions": [{"type": "allow"}]},
      {"name": "big-datagrams", "on": "datagram", "match": "size > 1400", "actions": [{"type": "deny"}]}
    ]}
    """

func gateContexts() -> [EvalContext] {
    let samples: [(port: Int, tags: [String], rating: Double)] = [
        (443, ["web"], 0.8), (22, ["ops"], 0.9), (22, ["dev"], 0.5), (8080, [], 0.3), (50000, ["ops", "x"], 0.6),
        (9100, ["metrics"], 0.7), (25, ["banned"], 0.9), (3306, [], 0.05), (80, ["a", "b", "c"], 0.5), (12345, ["dev"], 0.4),
    ]
    return samples.enumerated().map { index, sample in
        var context = EvalContext()
        context.peerID = 1000 + index
        context.port = sample.port
        context.peerTags = sample.tags
        context.localTags = ["edge", "monitored"]
        context.senderRating = sample.rating
        context.peerAgeS = Double(index) * 1000
        context.members = 42
        context.networkID = 7
        return context
    }
}

/// Compile time, gate decisions, request parsing and the swap storm, as `policyd-bench` runs them.
func microBenchmarks() {
    // MARK: Compile time of a 50-rule document

    let document = fiftyRuleDocument()
    let documentBytes = Array(document.utf8)
    _ = compileOrExit(document, "50-rule document")
    var compileTimes: [Double] = []
    var parseTimes: [Double] = []
    var compileCPUTimes: [Double] = []
    for _ in 0..<21 {
        let cpuStart = cpuNanoseconds()
        compileTimes.append(nanoseconds(clock.measure { _ = try? CompiledPolicy(parsing: documentBytes) }))
        compileCPUTimes.append(cpuNanoseconds() - cpuStart)
        parseTimes.append(nanoseconds(clock.measure { _ = try? JSONParser().parse(documentBytes) }))
    }
    print(
        "compile, 50-rule document (\(documentBytes.count) bytes): median \(median(compileTimes) / 1000) µs, "
            + "\(median(compileCPUTimes) / 1000) µs CPU, of 21 runs "
            + "(JSON parse alone: \(median(parseTimes) / 1000) µs)")

    // MARK: Gate decisions on a 10-rule policy

    let policy = compileOrExit(tenRuleDocument, "10-rule policy")
    let contexts = gateContexts()
    let decisionsPerRound = 200_000
    var allowed = 0
    var directiveCount = 0
    for context in contexts { _ = policy.decide(.connect, context: context) }  // warm up
    var roundTimes: [Double] = []
    var roundCPUTimes: [Double] = []
    for _ in 0..<5 {
        let cpuStart = cpuNanoseconds()
        let elapsed = clock.measure {
            for i in 0..<decisionsPerRound {
                let decision = policy.decide(.connect, context: contexts[i % contexts.count])
                if decision.verdict == .allow { allowed += 1 }
                directiveCount &+= decision.directives.count
            }
        }
        roundTimes.append(nanoseconds(elapsed) / Double(decisionsPerRound))
        roundCPUTimes.append((cpuNanoseconds() - cpuStart) / Double(decisionsPerRound))
    }
    print(
        "gate decision, 10-rule policy: median \(median(roundTimes)) ns per decision, \(median(roundCPUTimes)) ns CPU "
            + "(5 rounds of \(decisionsPerRound), \(allowed) allowed, \(directiveCount) directives)")

    // MARK: Parsing a decision request body

    let body = Array(
        #"{"event":"connect","peer_id":4242,"port":443,"peer_tags":["ops","eu-west"],"local_tags":["edge"],"sender_rating":0.75,"size":0,"direction":"in"}"#
            .utf8)
    let parses = 200_000
    var parsedMembers = 0
    let parseCPUStart = cpuNanoseconds()
    let parseElapsed = clock.measure {
        for _ in 0..<parses {
            if case .object(let members)? = try? JSONParser().parse(body) { parsedMembers &+= members.count }
        }
    }
    let parseCPU = (cpuNanoseconds() - parseCPUStart) / Double(parses)
    print(
        "JSON parse, decision request body (\(body.count) bytes): \(nanoseconds(parseElapsed) / Double(parses)) ns per parse, "
            + "\(parseCPU) ns CPU (\(parsedMembers / parses) members)")

    // The flat-object scanner the decisions endpoint reads that body with (no JSON tree).
    var scannedMembers = 0
    let scanCPUStart = cpuNanoseconds()
    let scanElapsed = clock.measure {
        let parser = JSONParser()
        for _ in 0..<parses {
            if parser.scanFlatObject(body, { _, _ in scannedMembers &+= 1 }) == false { scannedMembers = -1_000_000_000 }
        }
    }
    let scanCPU = (cpuNanoseconds() - scanCPUStart) / Double(parses)
    print(
        "flat scan, the same body: \(nanoseconds(scanElapsed) / Double(parses)) ns per scan, "
            + "\(scanCPU) ns CPU (\(scannedMembers / parses) members)")

    // MARK: Replacement time and lookups during a replacement storm

    swapStormBenchmark()
}
