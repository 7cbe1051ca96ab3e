import Logging
import PolicyLanguage

/// One network's line of a reload-all.
public struct ReloadResult: Sendable, Equatable {
    public enum Action: String, Sendable {
        case started, swapped, unchanged, stopped, failed
    }

    public var networkID: Int
    public var action: Action
    /// The runner now active (absent for stopped, and for failed without a runner).
    public var generation: Int?
    /// Why it failed.
    public var error: String?
}

extension PolicyService {
    /// Rebuilds a network's runner from its stored document: always a new generation,
    /// even when the document did not change.
    public func reload(_ networkID: Int) throws(ServiceError) -> RunnerStatus {
        let clock = ContinuousClock()
        let began = clock.now
        let (new, old) = try writers.withLock(networkID) { () throws(ServiceError) -> (Runner, Runner?) in
            let stored = try storedDocument(networkID)
            guard let stored else { throw .notFound("no policy stored for network \(networkID)") }
            let policy = try validate(stored.bytes)
            return install(networkID, policy: policy, etag: ETag.of(policy.json), revision: stored.revision)
        }
        retire(old)
        logSwap(
            SwapReport(
                networkID: networkID, oldGeneration: old?.generation, newGeneration: new.generation,
                duration: clock.now - began),
            reason: "reload")
        return RunnerStatus(new)
    }

    /// Compares the store with the registry and makes them agree: stored without a
    /// runner -> started; stored and different -> swapped (with `force`, also when the
    /// same); same -> unchanged; runner without a stored document -> stopped; a stored
    /// document that does not load -> failed (any old runner keeps serving).
    public func reloadAll(force: Bool) -> [ReloadResult] {
        let stored: [Int]
        do {
            stored = try store.storedNetworks()
        } catch {
            logger.error("cannot list stored policies", metadata: ["error": "\(error)"])
            return []
        }
        let ids = Set(stored).union(registry.all().map(\.networkID)).sorted()
        return ids.map { reloadOne($0, force: force) }
    }

    /// Makes the runners of these networks agree with the store (as `reloadAll` without
    /// force does, for these only): how a shared store's changes reach the runners.
    public func sync(_ networkIDs: [Int]) -> [ReloadResult] {
        networkIDs.map { reloadOne($0, force: false) }
    }

    private func reloadOne(_ networkID: Int, force: Bool) -> ReloadResult {
        let clock = ContinuousClock()
        let began = clock.now
        let (result, old) = writers.withLock(networkID) { () -> (ReloadResult, Runner?) in
            let current = registry.runner(for: networkID)
            let stored: StoredDocument?
            do {
                stored = try store.stored(networkID)
            } catch {
                return (failure(networkID, current, "\(error)"), nil)
            }
            guard let stored else {
                guard let removed = registry.remove(networkID) else {
                    return (ReloadResult(networkID: networkID, action: .unchanged), nil)
                }
                return (ReloadResult(networkID: networkID, action: .stopped), removed)
            }
            if let current, !force, current.etag == ETag.of(storedBytes: stored.bytes) {
                // The same document (perhaps rewritten: the runner now runs that revision). Costs
                // a parse and a hash, no compile: a resync over thousands of networks stays cheap.
                current.updateRevision(stored.revision)
                return (ReloadResult(networkID: networkID, action: .unchanged, generation: current.generation), nil)
            }
            let policy: CompiledPolicy
            do throws(PolicyLoadError) {
                policy = try CompiledPolicy(parsing: stored.bytes, limits: limits)
            } catch {
                return (failure(networkID, current, Self.describe(error)), nil)
            }
            let etag = ETag.of(policy.json)
            if let current, current.etag == etag, !force {
                current.updateRevision(stored.revision)
                return (ReloadResult(networkID: networkID, action: .unchanged, generation: current.generation), nil)
            }
            let (new, old) = install(networkID, policy: policy, etag: etag, revision: stored.revision)
            return (
                ReloadResult(networkID: networkID, action: old == nil ? ReloadResult.Action.started : .swapped, generation: new.generation),
                old
            )
        }
        retire(old)
        if result.action == .swapped || result.action == .started {
            logSwap(
                SwapReport(
                    networkID: networkID, oldGeneration: old?.generation, newGeneration: result.generation ?? 0,
                    duration: clock.now - began),
                reason: "reload-all")
        }
        return result
    }

    private func failure(_ networkID: Int, _ current: Runner?, _ message: String) -> ReloadResult {
        logger.error("stored policy not loaded", metadata: ["network": "\(networkID)", "error": "\(message)"])
        return ReloadResult(networkID: networkID, action: .failed, generation: current?.generation, error: message)
    }

    static func describe(_ error: PolicyLoadError) -> String {
        switch error {
        case .invalidJSON(let e): "invalid JSON: \(e)"
        case .invalidPolicy(let problems): "invalid policy: " + problems.map(\.description).joined(separator: "; ")
        }
    }
}

extension PolicyService {
    /// Reads a shared store again and takes what it holds as the truth, even when it is empty
    /// or another cluster (ends the wiped-store guard's degraded state); call `reloadAll` next.
    public func resyncStore() throws(ServiceError) {
        do throws(StoreError) {
            try store.resync()
        } catch {
            throw .storage(error)
        }
    }
}
