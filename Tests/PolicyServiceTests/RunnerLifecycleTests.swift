import PolicyService
import Testing

@Suite struct RunnerLifecycleTests {
    @Test func startMovesCreatedToRunningOnce() {
        var l = RunnerLifecycle()
        #expect(l.state == .created)
        #expect(l.start())
        #expect(l.state == .running)
        #expect(!l.start())
        #expect(l.state == .running)
    }

    @Test func stopIsIdempotent() {
        var l = RunnerLifecycle()
        _ = l.start()
        #expect(l.stop())
        #expect(l.state == .stopped)
        #expect(!l.stop())
        #expect(l.state == .stopped)
    }

    @Test func stopBeforeStartIsANoOp() {
        var l = RunnerLifecycle()
        #expect(!l.stop())
        #expect(l.state == .created)
        #expect(l.start())
        #expect(l.state == .running)
    }

    @Test func startAfterStopIsANoOp() {
        var l = RunnerLifecycle()
        _ = l.start()
        _ = l.stop()
        #expect(!l.start())
        #expect(l.state == .stopped)
        #expect(!l.isRunning)
    }
}
