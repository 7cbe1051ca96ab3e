import Logging
import PolicyLanguage

/// The outcome of a PUT of a policy.
public struct PutOutcome: Sendable {
    /// True when the network had no runner before (201), false when swapped (200).
    public var created: Bool
    /// The new runner's status, read once it was registered.
    public var status: RunnerStatus
    /// The new runner (tests check its lifecycle).
    let runner: Runner
}

extension PolicyService {
    /// Replaces a network's policy: compile (outside any lock), then under the network's
    /// writer lock check preconditions against the store, write (only if the document is
    /// still the one checked) and swap; then stop the old runner. On any failure nothing
    /// changes: the old runner keeps serving, the stored document is untouched.
    public func putPolicy(
        _ bytes: [UInt8], for networkID: Int, expecting expected: ExpectedDocument = .any
    ) throws(ServiceError) -> PutOutcome {
        let policy = try validate(bytes)
        let etag = ETag.of(policy.json)
        let clock = ContinuousClock()
        let began = clock.now
        let (new, old) = try writers.withLock(networkID) { () throws(ServiceError) -> (Runner, Runner?) in
            let expectation = try expectation(networkID, expected)
            let saved = try storeWrite { () throws(StoreError) in try store.write(bytes, for: networkID, expecting: expectation) }
            return install(networkID, policy: policy, etag: etag, revision: saved.revision)
        }
        retire(old)
        let report = SwapReport(
            networkID: networkID, oldGeneration: old?.generation, newGeneration: new.generation,
            duration: clock.now - began)
        logSwap(report, reason: "put")
        return PutOutcome(created: old == nil, status: RunnerStatus(new), runner: new)
    }

    /// The stored document as received, with its ETag and revision.
    public func document(for networkID: Int) throws(ServiceError) -> (bytes: [UInt8], etag: String, revision: Int64?) {
        let stored = try storedDocument(networkID)
        guard let stored else { throw .notFound("no policy stored for network \(networkID)") }
        return (stored.bytes, ETag.of(storedBytes: stored.bytes), stored.revision)
    }

    /// Removes a network's policy: delete the document (only if it is still the one checked),
    /// unregister, then stop the runner.
    public func deletePolicy(for networkID: Int, expecting expected: ExpectedDocument = .any)
        throws(ServiceError)
    {
        let old = try writers.withLock(networkID) { () throws(ServiceError) -> Runner? in
            let expectation = try expectation(networkID, expected, requireStored: true)
            let removed = try storeWrite { () throws(StoreError) in try store.remove(networkID, expecting: expectation) }
            guard removed else { throw .notFound("no policy stored for network \(networkID)") }
            persister.forget(networkID)
            return registry.remove(networkID)
        }
        retire(old)
        logger.info("policy removed", metadata: ["network": "\(networkID)", "generation": "\(old?.generation ?? 0)"])
    }

    /// What a write may replace: anything when the caller expects nothing; otherwise the
    /// document the store holds now, once the caller's check accepted its ETag.
    private func expectation(_ networkID: Int, _ expected: ExpectedDocument, requireStored: Bool = false)
        throws(ServiceError) -> WriteExpectation
    {
        guard case .checked(let check) = expected else { return .any }
        let current: StoredDocument?
        do throws(StoreError) { current = try store.storedForWrite(networkID) } catch { throw .storage(error) }
        if requireStored, current == nil { throw .notFound("no policy stored for network \(networkID)") }
        if let refusal = check(current.map { ETag.of(storedBytes: $0.bytes) }) { throw .preconditionFailed(refusal) }
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
