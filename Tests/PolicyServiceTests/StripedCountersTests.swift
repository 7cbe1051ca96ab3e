import Dispatch
import PolicyLanguage
import Testing

@testable import PolicyService

/// Striped counters add up to what every thread added, counter by counter.
@Suite struct StripedCountersTests {
    @Test(arguments: [1, 3, 8, 9, 17])
    func concurrentAdditionsAreAllCountedInTheirOwnCounter(count: Int) {
        let counters = StripedCounters(count: count)
        let threads = 16
        let perThread = 5_000
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            for i in 0..<perThread { counters.add((i + t) % count, 1 + (i % 3)) }
        }
        var expected = [Int](repeating: 0, count: count)
        for t in 0..<threads {
            for i in 0..<perThread { expected[(i + t) % count] += 1 + (i % 3) }
        }
        #expect((0..<count).map { counters.value($0) } == expected)
    }

    @Test func aRunnersDecisionCountsAreWhatWasCounted() {
        let counters = RunnerCounters()
        DispatchQueue.concurrentPerform(iterations: 8) { t in
            for i in 0..<1_000 { counters.count(i % 4 == 0 ? .allow : .deny, error: i % 10 == t) }
        }
        #expect(counters.snapshot == DecisionCounts(allow: 2_000, deny: 6_000, errors: 800))
    }
}
