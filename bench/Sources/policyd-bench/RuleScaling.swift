import PolicyLanguage
import PolicyService

/// Decision latency (PolicyService.decide, no HTTP) as the number of rules per policy grows.
struct RuleScaling {
    let parent: String
    let steps: [Int]
    let repeats = 5

    func run() {
        print("\nrules: one network; connect rules `port == N && has_tag(peer_tags, 'team-N')`")
        print("rules  compile ms  decision us (all rules evaluated) min / median  (first rule decides) min / median")
        for count in steps {
            let dir = ScratchDirectory(parent: parent, name: "rules")
            defer { dir.remove() }
            // Over 256 rules needs the limit raised, as `policyd serve --max-rules` does.
            let service = makeService(directory: dir.path, maxRules: count)
            let document = BenchPolicies.connectRules(count)
            let compile = (0..<repeats).map { _ in
                seconds {
                    do { _ = try service.validate(document) } catch { fatalError("\(count) rules: \(error)") }
                }
            }
            do { _ = try service.putPolicy(document, for: 1) } catch { fatalError("\(count) rules: \(error)") }

            var miss = DecisionInput(event: .connect)
            miss.peerID = 42
            miss.port = 443
            miss.peerTags = ["web", "eu-west"]
            var hit = miss
            hit.port = 10_000
            hit.peerTags = ["team-0"]
            let worst = perDecision(service, miss, budget: 2_000_000 / count)
            let best = perDecision(service, hit, budget: 200_000)
            print(
                "\(pad(count, 5))  \(pad(format(quantile(compile, 0.5) * 1000), 10))  "
                    + "\(pad(format(quantile(worst, 0) * 1e6, 3), 38)) / \(pad(format(quantile(worst, 0.5) * 1e6, 3), 6))"
                    + "  \(pad(format(quantile(best, 0) * 1e6, 3), 28)) / \(pad(format(quantile(best, 0.5) * 1e6, 3), 6))")
        }
    }

    /// Seconds per decision, once per repeat, each over `budget` decisions (after a warm-up).
    private func perDecision(_ service: PolicyService, _ input: DecisionInput, budget: Int) -> [Double] {
        let iterations = max(budget, 200)
        var allowed = 0
        for _ in 0..<iterations / 10 where decide(service, input) { allowed += 1 }
        let times = (0..<repeats).map { _ in
            seconds {
                for _ in 0..<iterations where decide(service, input) { allowed += 1 }
            } / Double(iterations)
        }
        blackHole(allowed)
        return times
    }

    /// One decision of network 1 (the registry lookup included, as the API pays it); true when allowed.
    private func decide(_ service: PolicyService, _ input: DecisionInput) -> Bool {
        guard let decision = try? service.decide(network: 1, input: input) else { fatalError("no runner") }
        return decision.verdict == .allow
    }
}

@inline(never)
func blackHole(_ value: Int) {
    if value == -1 { print(value) }
}
