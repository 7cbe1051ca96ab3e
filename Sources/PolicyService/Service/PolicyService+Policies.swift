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
    /// writer lock check preconditions, persist durably and swap; then stop the old runner.
    /// On any failure nothing changes: the old runner keeps serving, the file is untouched.
    public func putPolicy(
        _ bytes: [UInt8], for networkID: Int, preconditions: WritePreconditions = WritePreconditions()
    ) throws(ServiceError) -> PutOutcome {
        let policy = try validate(bytes)
        let etag = ETag.of(policy.json)
        let clock = ContinuousClock()
        let began = clock.now
        let (new, old) = try writers.withLock(networkID) { () throws(ServiceError) -> (Runner, Runner?) in
            let stored = try storedDocument(networkID)
            try preconditions.check(stored: stored)
            do throws(StoreError) { try store.saveDocument(bytes, for: networkID) } catch { throw .storage(error) }
            return install(networkID, policy: policy, etag: etag)
        }
        retire(old)
        let report = SwapReport(
            networkID: networkID, oldGeneration: old?.generation, newGeneration: new.generation,
            duration: clock.now - began)
        logSwap(report, reason: "put")
        return PutOutcome(created: old == nil, runner: new)
    }

    /// The stored document as received, with its ETag.
    public func document(for networkID: Int) throws(ServiceError) -> (bytes: [UInt8], etag: String) {
        let stored = try storedDocument(networkID)
        guard let stored else { throw .notFound("no policy stored for network \(networkID)") }
        return (stored, ETag.of(storedBytes: stored))
    }

    /// Removes a network's policy: unregister, delete the file, then stop the runner.
    public func deletePolicy(for networkID: Int, preconditions: WritePreconditions = WritePreconditions())
        throws(ServiceError)
    {
        let old = try writers.withLock(networkID) { () throws(ServiceError) -> Runner? in
            let stored = try storedDocument(networkID)
            guard stored != nil else { throw .notFound("no policy stored for network \(networkID)") }
            try preconditions.check(stored: stored)
            do throws(StoreError) { try store.removeDocument(networkID) } catch { throw .storage(error) }
            persister.forget(networkID)
            return registry.remove(networkID)
        }
        retire(old)
        logger.info("policy removed", metadata: ["network": "\(networkID)", "generation": "\(old?.generation ?? 0)"])
    }
}
