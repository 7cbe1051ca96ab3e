import Testing

@testable import PolicyService

@Suite struct RunnerLifecycleTests {
    @Test func startMovesCreatedToRunningOnce() {
        var l = RunnerLifecycle()
        #expect(l.state == .created)
        let t1 = l.start()
        #expect(t1)
        #expect(l.state == .running)
        let t2 = l.start()
        #expect(!t2)
        #expect(l.state == .running)
    }

    @Test func stopIsIdempotent() {
        var l = RunnerLifecycle()
        _ = l.start()
        let t3 = l.stop()
        #expect(t3)
        #expect(l.state == .stopped)
        let t4 = l.stop()
        #expect(!t4)
        #expect(l.state == .stopped)
    }

    @Test func stopBeforeStartIsANoOp() {
        var l = RunnerLifecycle()
        let t5 = l.stop()
        #expect(!t5)
        #expect(l.state == .created)
        let t6 = l.start()
        #expect(t6)
        #expect(l.state == .running)
    }

    @Test func startAfterStopIsANoOp() {
        var l = RunnerLifecycle()
        _ = l.start()
        _ = l.stop()
        let t7 = l.start()
        #expect(!t7)
        #expect(l.state == .stopped)
        #expect(!l.isRunning)
    }
}
