import Locking
import Logging
public import PolicyLanguage
import Synchronization

/// Runners of every network over a durable policy store, with the swap.
///
/// Locking: the registry lock guards only the network -> runner slots (held to create,
/// start and register a runner); a per-network writer lock serializes the writes of one
/// network end to end (precondition check, persist, swap); a replaced runner is stopped
/// after both are released. Lookups take only the registry lock, briefly.
public final class PolicyService: Sendable {
    public let store: any PolicyStore
    let environment: RunnerEnvironment
    let registry = RunnerRegistry()
    let writers: WriterLocks
    let persister: PeerPersister
    /// Set over a store that shares peer tables (etcd); nil with the file store.
    let shared: SharedPeers?
    let observer: @Sendable (SwapEvent) -> Void
    /// Bounds every document must keep to, on PUT, validate, reload and startup alike.
    public let limits: PolicyLimits
    private let loaded = Atomic<Bool>(false)
    /// Runners registered (started or replacing another), whatever asked: API writes, reloads
    /// (SIGHUP included), startup and the etcd follower.
    let swaps = Atomic<Int>(0)
    /// Decision counts of the runners stopped after a replacement or removal (`decisionTotals`).
    let retiredDecisions = Locked(DecisionCounts())

    var logger: Logger { environment.logger }

    /// - Parameters:
    ///   - limits: bounds on documents; a stored document outside them fails to load (and stays on disk).
    ///   - cycleOwnership: over a store that shares peer tables, which replica runs the cycle
    ///     timers (nil: every replica's timers run, unfenced).
    ///   - observer: sees every registration and stop, in order (for tests and logs).
    public init(
        store: any PolicyStore,
        environment: RunnerEnvironment,
        limits: PolicyLimits = PolicyLimits(),
        cycleOwnership: (any CycleOwnership)? = nil,
        observer: @escaping @Sendable (SwapEvent) -> Void = { _ in }
    ) {
        self.store = store
        self.limits = limits
        let persister = PeerPersister(store: store, logger: environment.logger)
        let writers = WriterLocks()
        var environment = environment
        let chained = environment.peersChanged
        environment.peersChanged = { id, table in
            persister.persist(id, table)
            chained(id, table)
        }
        if let sharedStore = store as? any SharedPeerStore {
            environment.shared = SharedPeers(store: sharedStore, ownership: cycleOwnership, writers: writers, logger: environment.logger)
        }
        self.shared = environment.shared
        self.writers = writers
        self.environment = environment
        self.persister = persister
        self.observer = observer
    }

    /// The active runner of a network, or nil. Never waits behind a replacement. Internal: the
    /// layers above get values (`PolicyService+Reads.swift`); tests look at runners directly.
    func runner(for networkID: Int) -> Runner? {
        registry.runner(for: networkID)
    }

    /// Every active runner, by network id.
    func runners() -> [Runner] {
        registry.all()
    }

    /// How many networks have a runner.
    public var runnerCount: Int { registry.count }

    /// Runners registered since the service was made: every start and every swap.
    public var swapCount: Int { swaps.load(ordering: .relaxed) }

    /// True once `loadStored()` has finished.
    var isLoaded: Bool { loaded.load(ordering: .acquiring) }

    /// Startup: starts a runner for every stored document. A corrupt or invalid file is
    /// logged, reported as `failed` and skipped, never deleted.
    @discardableResult
    public func loadStored() -> [ReloadResult] {
        let results = reloadAll(force: false)
        loaded.store(true, ordering: .releasing)
        let failed = results.filter { $0.action == .failed }.count
        logger.info("store loaded", metadata: ["networks": "\(registry.count)", "failed": "\(failed)"])
        return results
    }

    /// Stops every runner and saves every peer table. Nothing is unregistered.
    public func shutdown() {
        for runner in registry.all() {
            runner.stop()
            // A shared table is in the store already: every change was committed there.
            if shared == nil { persister.persist(runner.networkID, runner.peers) }
        }
    }

    /// The stored document of a network as this process knows it, or nil; storage failures as service errors.
    func storedDocument(_ networkID: Int) throws(ServiceError) -> StoredDocument? {
        do throws(StoreError) {
            return try store.stored(networkID)
        } catch {
            throw .storage(error)
        }
    }

    /// Parses, validates and compiles a document without storing or starting anything.
    public func validate(_ bytes: [UInt8]) throws(ServiceError) -> CompiledPolicy {
        do {
            return try CompiledPolicy(parsing: bytes, limits: limits)
        } catch {
            throw ServiceError(error)
        }
    }
}
