import Dispatch
import Locking
import Testing

@testable import PolicyAPI

@Suite struct LazyObjectTests {
    private final class Box: Sendable {
        let value: Int
        init(_ value: Int) { self.value = value }
    }

    private func id(_ object: (any AnyObject & Sendable)?) -> ObjectIdentifier? {
        object.map { ObjectIdentifier($0) }
    }

    @Test func theFirstStoreWinsAndIsWhatLoadGives() {
        let lazy = LazyObject()
        #expect(lazy.load() == nil)
        let first = Box(1)
        #expect(id(lazy.storeIfNil(first)) == ObjectIdentifier(first))
        #expect(id(lazy.load()) == ObjectIdentifier(first))
        #expect(id(lazy.storeIfNil(Box(2))) == ObjectIdentifier(first))
        #expect((lazy.load() as? Box)?.value == 1)
    }

    @Test func racingThreadsAllGetTheSameObject() {
        let lazy = LazyObject()
        let winners = Locked<[ObjectIdentifier]>([])
        DispatchQueue.concurrentPerform(iterations: 64) { i in
            let stored = lazy.storeIfNil(Box(i))
            winners.withLock { $0.append(ObjectIdentifier(stored)) }
        }
        #expect(Set(winners.withLock { $0 }).count == 1)
        #expect(id(lazy.load()) == winners.withLock { $0 }.first)
    }

    @Test func releasesWhatItHolds() {
        weak var kept: Box?
        weak var refused: Box?
        do {
            let lazy = LazyObject()
            let a = Box(1)
            let b = Box(2)
            kept = a
            refused = b
            _ = lazy.storeIfNil(a)
            _ = lazy.storeIfNil(b)
        }
        #expect(kept == nil)
        #expect(refused == nil)
    }
}
