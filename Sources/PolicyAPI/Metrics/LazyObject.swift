import Synchronization

/// A reference set at most once and read without a lock, for values made on first use.
///
/// What `AtomicLazyReference` does, without its cost here: its `load()` is a generic call into
/// libswiftSynchronization that looks up type metadata on every read (measured in
/// bench/RESULTS.md, "LazyObject instead of AtomicLazyReference"). This box is not generic: it keeps the retained object's address
/// in an `Atomic<UInt>`, and callers cast what they stored.
final class LazyObject: Sendable {
    private let address = Atomic<UInt>(0)

    init() {}

    deinit {
        let raw = address.load(ordering: .acquiring)
        if raw != 0 { Self.unmanaged(raw).release() }
    }

    /// The stored object, or nil before the first ``storeIfNil(_:)``.
    func load() -> (any AnyObject & Sendable)? {
        let raw = address.load(ordering: .acquiring)
        return raw == 0 ? nil : Self.object(raw)
    }

    /// Stores `object` unless an object is stored already; returns the stored one (the first
    /// stored wins when threads race).
    func storeIfNil(_ object: any AnyObject & Sendable) -> any AnyObject & Sendable {
        let retained = Unmanaged<AnyObject>.passRetained(object)
        let raw = UInt(bitPattern: retained.toOpaque())
        let (exchanged, original) = address.compareExchange(expected: 0, desired: raw, ordering: .acquiringAndReleasing)
        if exchanged { return object }
        retained.release()
        return Self.object(original)
    }

    private static func unmanaged(_ raw: UInt) -> Unmanaged<AnyObject> {
        // Only addresses of objects this box retained are ever stored, and never 0.
        Unmanaged<AnyObject>.fromOpaque(UnsafeRawPointer(bitPattern: raw).unsafelyUnwrapped)
    }

    private static func object(_ raw: UInt) -> any AnyObject & Sendable {
        // Stored through storeIfNil, whose parameter is Sendable.
        unsafeBitCast(unmanaged(raw).takeUnretainedValue(), to: (any AnyObject & Sendable).self)
    }
}
