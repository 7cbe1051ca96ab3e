import PolicyLanguage

/// The outcome of a PUT of a policy.
public struct PutOutcome: Sendable {
    /// True when the network had no runner before (201), false when swapped (200).
    public var created: Bool
    public var runner: Runner
}

/// Preconditions of a write (If-Match / If-None-Match).
public struct WritePreconditions: Sendable {
    /// `If-Match` as sent; the stored ETag must be one of it.
    public var ifMatch: String?
    /// `If-None-Match: *`: nothing may be stored yet.
    public var ifNoneMatchAny: Bool

    public init(ifMatch: String? = nil, ifNoneMatchAny: Bool = false) {
        self.ifMatch = ifMatch
        self.ifNoneMatchAny = ifNoneMatchAny
    }

    func check(stored: [UInt8]?) throws(ServiceError) {
        if ifNoneMatchAny, stored != nil {
            throw .preconditionFailed("a policy is already stored (If-None-Match: *)")
        }
        if let ifMatch {
            guard let stored else { throw .preconditionFailed("no policy is stored (If-Match: \(ifMatch))") }
            let etag = ETag.of(storedBytes: stored)
            guard ETag.matches(ifMatch, etag) else {
                throw .preconditionFailed("stored policy has ETag \(etag), not \(ifMatch)")
            }
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
