import Locking
import PolicyService
import Testing

@Suite struct AppliedRevisionTests {
    @Test func aWaiterIsCalledOnceWhenTheRevisionReachesItsTarget() {
        let applied = AppliedRevision()
        let calls = Locked<[Int]>([])
        #expect(applied.whenReached(5) { calls.withLock { $0.append(5) } } != nil)
        #expect(applied.whenReached(7) { calls.withLock { $0.append(7) } } != nil)
        applied.advance(to: 4)
        #expect(calls.withLock { $0 }.isEmpty)
        applied.advance(to: 6)
        #expect(calls.withLock { $0 } == [5])
        applied.advance(to: 3)  // never backwards
        #expect(applied.value == 6)
        applied.advance(to: 9)
        applied.advance(to: 10)
        #expect(calls.withLock { $0 } == [5, 7])
        #expect(applied.waiting == 0)
    }

    @Test func aReachedTargetIsNotKeptAndACancelledWaiterIsNeverCalled() {
        let applied = AppliedRevision()
        applied.advance(to: 3)
        #expect(applied.whenReached(3) { Issue.record("kept") } == nil)
        let id = applied.whenReached(4) { Issue.record("called after cancel") }
        #expect(id != nil)
        if let id { applied.cancel(id) }
        applied.advance(to: 4)
        #expect(applied.waiting == 0)
    }

    @Test func anotherStoreMayMoveTheRevisionBack() {
        let applied = AppliedRevision()
        applied.advance(to: 40)
        applied.advance(to: 2, allowingBackwards: true)
        #expect(applied.value == 2)
    }
}
