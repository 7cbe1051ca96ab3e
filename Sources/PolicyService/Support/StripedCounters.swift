import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A few counters that many threads add to, each thread in its own stripe (a cache line of
/// its own, chosen by a hash of its thread id), read by adding the stripes up.
///
/// One shared `Atomic` per counter makes every addition from another core a cache miss on a
/// line the other core just wrote (libmicrohttpd's polling threads count every request, on
/// every core). Here threads rarely share a line; a value read while threads add is a value
/// the counter passed through or is about to, which is all a counter promises. Additions are
/// relaxed: counters order nothing.
public final class StripedCounters: @unchecked Sendable {
    /// Counters per stripe, rounded up to a whole cache line of `Int`s.
    private let stride: Int
    private let cells: UnsafeMutablePointer<Atomic<Int>>
    static let stripeBits = 3
    static let stripes = 1 << stripeBits
    private static let lineBytes = 64

    /// `count` counters, all 0.
    public init(count: Int) {
        let perLine = Self.lineBytes / MemoryLayout<Int>.stride
        stride = (count + perLine - 1) / perLine * perLine
        let raw = UnsafeMutableRawPointer.allocate(
            byteCount: stride * Self.stripes * MemoryLayout<Atomic<Int>>.stride, alignment: Self.lineBytes)
        cells = raw.bindMemory(to: Atomic<Int>.self, capacity: stride * Self.stripes)
        for i in 0..<(stride * Self.stripes) { (cells + i).initialize(to: Atomic(0)) }
    }

    deinit {
        cells.deinitialize(count: stride * Self.stripes)
        UnsafeMutableRawPointer(cells).deallocate()
    }

    /// Adds `amount` to counter `index` (0..<count).
    @inline(__always)
    public func add(_ index: Int, _ amount: Int = 1) {
        cells[Self.currentStripe() &* stride &+ index].wrappingAdd(amount, ordering: .relaxed)
    }

    /// Counter `index`: the sum of its stripes.
    public func value(_ index: Int) -> Int {
        var total = 0
        for stripe in 0..<Self.stripes { total &+= cells[stripe &* stride &+ index].load(ordering: .relaxed) }
        return total
    }

    /// The calling thread's stripe: a thread keeps its own, and a few threads rarely share one.
    @inline(__always)
    public static func currentStripe() -> Int {
        #if canImport(Glibc)
            let id = UInt(pthread_self())
        #else
            let id = UInt(bitPattern: pthread_self())
        #endif
        return Int(truncatingIfNeeded: (id &* 0x9E37_79B9_7F4A_7C15) >> UInt(UInt.bitWidth - stripeBits))
    }
}
