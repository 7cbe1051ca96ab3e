import PolicyLanguage
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Evaluation is bounded: expr's memory budget for ranges and arrays, and a 100 ms
/// time budget checked inside every loop.
@Suite struct ExprBudgetTests {
    private func millis(_ body: () -> Void) -> Double {
        var a = timespec()
        var b = timespec()
        clock_gettime(CLOCK_MONOTONIC, &a)
        body()
        clock_gettime(CLOCK_MONOTONIC, &b)
        return Double(b.tv_sec - a.tv_sec) * 1e3 + Double(b.tv_nsec - a.tv_nsec) / 1e6
    }

    @Test func giantRangeIsARuntimeErrorNotAHang() throws {
        let e = try ExprTest.compile("len(filter(1..100000000, # > 0)) > 0")
        var caught: EvaluationError?
        let ms = millis {
            do throws(EvaluationError) { _ = try e.evaluate(ExprTest.sample) } catch { caught = error }
        }
        #expect(caught?.message == "memory budget exceeded")
        #expect(caught?.line == 1 && caught?.column == 13)
        #expect(ms < 100)
    }

    @Test func rangesAreChargedLikeExpr() throws {
        #expect(try ExprTest.eval("len(1..999999) == 999999"))
        #expect(ExprTest.runtimeError("len(1..1000000) > 0")?.message == "memory budget exceeded")
        // Literal bounds with `in` become comparisons: nothing is allocated.
        #expect(try ExprTest.eval("port in 1..100000000"))
        var ctx = ExprTest.sample
        ctx.members = 100_000_000
        #expect(ExprTest.runtimeError("port in 1..members", ctx)?.message == "memory budget exceeded")
    }

    @Test func longLoopsStopAfterTheTimeBudget() throws {
        var ctx = ExprTest.sample
        ctx.peerTags = (0..<3000).map { "tag-\($0)" }
        let e = try ExprTest.compile("any(peer_tags, {any(peer_tags, {any(peer_tags, # == 'zz')})})")
        var caught: EvaluationError?
        let ms = millis {
            do throws(EvaluationError) { _ = try e.evaluate(ctx) } catch { caught = error }
        }
        #expect(caught?.message == "evaluation exceeded the time budget of 100ms")
        #expect(ms >= 90 && ms < 1000, "took \(ms) ms")
    }

    @Test func budgetsAreFreshForEachEvaluation() throws {
        let e = try ExprTest.compile("len(1..600000) > 0")
        for _ in 0..<3 {
            #expect(try e.evaluate(ExprTest.sample))
        }
    }
}
