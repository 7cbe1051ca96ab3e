import EtcdClient
import Locking
public import PolicyService

/// Writes: one transaction per PUT or DELETE, sent again within the call's time when its
/// answer was lost (an election, a member killed under it, a connection dropped).
///
/// Sending again is safe: an unconditional write sends the same bytes, a conditional one
/// compares the key's `mod_revision` with the one its precondition was checked against, so
/// it applies at most once. The transaction's failure branch reads the key in the same
/// step, which tells a lost answer from a conflict: after an attempt whose outcome is
/// unknown, a key holding our bytes at a newer revision (a PUT) or gone (a DELETE) means
/// an earlier attempt landed.
///
/// No attempt waits longer than a quarter of the call's time (at least 500 ms): a proposal
/// sent to a member that still follows a dead leader is lost without an answer, and only
/// one sent after the election lands; etcd elects within about a second (`--election-timeout`
/// 1000 ms by default), so with the default 3 s a write sent at the leader's death still lands.
extension EtcdPolicyStore {
    public func write(_ bytes: [UInt8], for networkID: Int, expecting expected: WriteExpectation) throws(StoreError)
        -> StoredDocument
    {
        let key = key(networkID)
        let client = client
        let compares = Self.compares(key, expected)
        let before = Self.expectedRevision(expected)
        let revision = try blocking(timeout: client.callTimeout) { () async throws(EtcdError) -> Int64? in
            try await Self.resending(client) { unsure, deadline throws(EtcdError) -> Int64? in
                let r = try await client.txn(
                    compares, success: [.put(key: key, value: bytes)], failure: [.get(key: key)], deadline: deadline,
                    attemptTimeout: Self.attemptTimeout(client))
                if r.succeeded { return r.header.revision }
                if unsure, case .get(let kvs) = r.results.first, let kv = kvs.first, kv.value == bytes, kv.modRevision > before {
                    return kv.modRevision
                }
                return nil
            }
        }
        guard let revision else { throw Self.conflict(networkID, expected) }
        _ = mirror.withLock { $0.advance(networkID, bytes: bytes, revision: revision) }
        return StoredDocument(bytes: bytes, revision: revision)
    }

    public func remove(_ networkID: Int, expecting expected: WriteExpectation) throws(StoreError) -> Bool {
        if case .document(nil) = expected { return false }
        let key = key(networkID)
        // The network's peer table goes with its document, as with the file store.
        let peersKey = peersKey(networkID)
        let client = client
        let compares = Self.compares(key, expected)
        let outcome = try blocking(timeout: client.callTimeout) { () async throws(EtcdError) -> (removed: Bool, revision: Int64)? in
            try await Self.resending(client) { unsure, deadline throws(EtcdError) -> (removed: Bool, revision: Int64)? in
                let r = try await client.txn(
                    compares, success: [.delete(key: key), .delete(key: peersKey)], failure: [.get(key: key)], deadline: deadline,
                    attemptTimeout: Self.attemptTimeout(client))
                if r.succeeded, case .delete(let deleted) = r.results.first {
                    // Nothing left to delete after a lost answer: the earlier attempt deleted it.
                    return (deleted > 0 || unsure, r.header.revision)
                }
                if unsure, case .get(let kvs) = r.results.first, kvs.isEmpty { return (true, r.header.revision) }
                return nil
            }
        }
        guard let outcome else { throw Self.conflict(networkID, expected) }
        guard outcome.removed else { return false }
        mirror.withLock { m in
            _ = m.advance(networkID, bytes: nil, revision: outcome.revision)
            _ = m.advancePeers(networkID, bytes: nil, revision: outcome.revision)
        }
        return true
    }

    /// Runs `attempt` until it answers, within `callTimeout` in all: after an `indeterminate`
    /// failure it runs again with `unsure` set. When time runs out after such a failure the
    /// outcome stays unknown (`indeterminate`; the watch brings whatever etcd holds).
    static func resending<T: Sendable>(
        _ client: EtcdClient,
        _ attempt: (_ unsure: Bool, _ deadline: ContinuousClock.Instant) async throws(EtcdError) -> T
    ) async throws(EtcdError) -> T {
        let clock = ContinuousClock()
        let deadline = clock.now + client.callTimeout
        var unsure = false
        while true {
            do {
                return try await attempt(unsure, deadline)
            } catch {
                guard case .indeterminate = error else {
                    // Failing after an attempt whose outcome is unknown leaves the outcome unknown.
                    if unsure { throw .indeterminate("an earlier attempt may have been applied, then \(error)") }
                    throw error
                }
                guard deadline - clock.now > .milliseconds(50) else { throw error }
                unsure = true
                try? await Task.sleep(for: .milliseconds(20))
            }
        }
    }

    /// The longest one attempt of a write waits for its answer.
    static func attemptTimeout(_ client: EtcdClient) -> Duration {
        max(client.callTimeout / 4, .milliseconds(500))
    }

    /// The `mod_revision` a conditional write compares with (0: the key must not exist; -1: none).
    static func expectedRevision(_ expected: WriteExpectation) -> Int64 {
        guard case .document(let document) = expected else { return -1 }
        return document?.revision ?? 0
    }
}
