import PolicyLanguage

/// The outcome of a PUT of a policy.
public struct PutOutcome: Sendable {
    /// True when the network had no runner before (201), false when swapped (200).
    public var created: Bool
    public var runner: Runner
}

/// Preconditions of a write (If-Match / If-None-Match), evaluated as RFC 9110 section 13.2.2
/// orders them: If-Match first, then If-None-Match.
public struct WritePreconditions: Sendable {
    /// `If-Match`: the stored document must exist (`*`) or its ETag strongly match one of the tags.
    public var ifMatch: ETagCondition?
    /// `If-None-Match`: nothing may be stored (`*`), or the stored ETag must weakly match none of the tags.
    public var ifNoneMatch: ETagCondition?

    public init(ifMatch: ETagCondition? = nil, ifNoneMatch: ETagCondition? = nil) {
        self.ifMatch = ifMatch
        self.ifNoneMatch = ifNoneMatch
    }

    /// Whether the caller asked for any precondition.
    var isSet: Bool { ifMatch != nil || ifNoneMatch != nil }

    func check(stored: [UInt8]?) throws(ServiceError) {
        let etag = stored.map { ETag.of(storedBytes: $0) }
        if let ifMatch {
            guard let etag else { throw .preconditionFailed("no policy is stored (If-Match: \(ifMatch))") }
            guard ifMatch.matches(etag, weakly: false) else {
                throw .preconditionFailed("stored policy has ETag \(etag), not \(ifMatch) (If-Match)")
            }
        }
        if let ifNoneMatch, let etag, ifNoneMatch.matches(etag, weakly: true) {
            throw .preconditionFailed(
                ifNoneMatch == .any
                    ? "a policy is already stored (If-None-Match: *)"
                    : "stored policy has ETag \(etag), one of \(ifNoneMatch) (If-None-Match)")
        }
    }
}

extension PolicyService {
    /// Replaces a network's policy: compile (outside any lock), then under the network's
    /// writer lock check preconditions against the store, write (only if the document is
    /// still the one checked) and swap; then stop the old runner. On any failure nothing
    /// changes: the old runner keeps serving, the stored document is untouched.
    public func putPolicy(
        _ bytes: [UInt8], for networkID: Int, preconditions: WritePreconditions = WritePreconditions()
    ) throws(ServiceError) -> PutOutcome {
        let policy = try validate(bytes)
        let etag = ETag.of(policy.json)
        let clock = ContinuousClock()
        let began = clock.now
        let (new, old) = try writers.withLock(networkID) { () throws(ServiceError) -> (Runner, Runner?) in
            let expected = try expectation(networkID, preconditions)
            let saved = try storeWrite { () throws(StoreError) in try store.write(bytes, for: networkID, expecting: expected) }
            return install(networkID, policy: policy, etag: etag, revision: saved.revision)
        }
        retire(old)
        let report = SwapReport(
            networkID: networkID, oldGeneration: old?.generation, newGeneration: new.generation,
            duration: clock.now - began)
        logSwap(report, reason: "put")
        return PutOutcome(created: old == nil, runner: new)
    }

    /// The stored document as received, with its ETag and revision.
    public func document(for networkID: Int) throws(ServiceError) -> (bytes: [UInt8], etag: String, revision: Int64?) {
        let stored = try storedDocument(networkID)
        guard let stored else { throw .notFound("no policy stored for network \(networkID)") }
        return (stored.bytes, ETag.of(storedBytes: stored.bytes), stored.revision)
    }

    /// Removes a network's policy: delete the document (only if it is still the one checked),
    /// unregister, then stop the runner.
    public func deletePolicy(for networkID: Int, preconditions: WritePreconditions = WritePreconditions())
        throws(ServiceError)
    {
        let old = try writers.withLock(networkID) { () throws(ServiceError) -> Runner? in
            let expected = try expectation(networkID, preconditions, requireStored: true)
            let removed = try storeWrite { () throws(StoreError) in try store.remove(networkID, expecting: expected) }
            guard removed else { throw .notFound("no policy stored for network \(networkID)") }
            persister.forget(networkID)
            return registry.remove(networkID)
        }
        retire(old)
        logger.info("policy removed", metadata: ["network": "\(networkID)", "generation": "\(old?.generation ?? 0)"])
    }

    /// What a write may replace: anything without preconditions; with them, the document
    /// the store holds now, once the preconditions held against it.
    private func expectation(_ networkID: Int, _ preconditions: WritePreconditions, requireStored: Bool = false)
        throws(ServiceError) -> WriteExpectation
    {
        guard preconditions.isSet else { return .any }
        let current: StoredDocument?
        do throws(StoreError) { current = try store.storedForWrite(networkID) } catch { throw .storage(error) }
        if requireStored, current == nil { throw .notFound("no policy stored for network \(networkID)") }
        try preconditions.check(stored: current?.bytes)
        return .document(current)
    }

    /// A store write; a conflict (the document changed after the preconditions were
    /// checked, on another replica) is a failed precondition.
    private func storeWrite<T>(_ body: () throws(StoreError) -> T) throws(ServiceError) -> T {
        do throws(StoreError) {
            return try body()
        } catch  where error.kind == .conflict {
            throw .preconditionFailed("the stored policy changed while this write was checked (\(error.message))")
        } catch {
            throw .storage(error)
        }
    }
}
