import PolicyLanguage
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Rough timing of a typical gate rule (debug builds are several times slower than
/// release; the bound here only catches gross regressions such as re-parsing).
@Suite struct ExprPerformanceTests {
    @Test func typicalGateRuleIsFast() throws {
        let e = try ExprTest.compile("port == 22 && has_tag(peer_tags, 'ops')", scope: .event(.connect))
        let ctx = ExprTest.sample
        let n = 20_000
        var hits = 0
        var best = Double.infinity
        // Thread CPU time, best of several batches: robust on a shared, loaded machine.
        for _ in 0..<10 {
            var a = timespec()
            var b = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a)
            for _ in 0..<n where try e.evaluate(ctx) { hits += 1 }
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &b)
            best = min(best, (Double(b.tv_sec - a.tv_sec) * 1e9 + Double(b.tv_nsec - a.tv_nsec)) / Double(n))
        }
        print("port == 22 && has_tag(peer_tags, 'ops'): \(Int(best)) ns/evaluation (this build)")
        #expect(hits == 10 * n)
        #expect(best < 5_000)
    }
}
