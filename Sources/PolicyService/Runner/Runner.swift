import Dispatch
import Locking
import Logging
import PolicyLanguage
import Synchronization

/// One network's policy runner: a compiled policy, the network's peer table and counters.
///
/// Thread-safe: decisions run concurrently on any thread; cycles run one at a time on
/// the runner's own queue; `start()`/`stop()` are idempotent from any thread.
final class Runner: Sendable {
    /// Network id, generation, ETag and what the status shows of the policy.
    let facts: RunnerFacts
    let policy: CompiledPolicy
    /// Shared with the runner this one replaced (peer state survives a swap).
    let peers: PeerTable

    let environment: RunnerEnvironment
    let counters = RunnerCounters()
    /// The store's revision of the running document (0: none, the file store). Moves when
    /// the same document is written again, which needs no new runner.
    private let storeRevision: Atomic<Int64>
    let control: Locked<Control>
    /// Cycles run here, one at a time, so a timer tick and a manual cycle never overlap.
    let cycleQueue: DispatchQueue
    /// Entered by every cycle while it runs; `stop()` waits on it.
    let cyclesInFlight = DispatchGroup()

    struct Control {
        var lifecycle = RunnerLifecycle()
        var startedAt: Double?
        var cycleNum = 0
        var timer: (any DispatchSourceTimer)?
    }

    init(
        networkID: Int,
        generation: Int,
        policy: CompiledPolicy,
        etag: String,
        peers: PeerTable,
        environment: RunnerEnvironment,
        revision: Int64? = nil
    ) {
        self.storeRevision = Atomic(revision ?? 0)
        self.facts = RunnerFacts(
            networkID: networkID, generation: generation, etag: etag, policy: policy, sharesPeers: environment.shared != nil)
        self.policy = policy
        self.peers = peers
        self.environment = environment
        self.control = Locked(Control())
        self.cycleQueue = DispatchQueue(label: "policyd.runner.\(networkID).\(generation)")
    }

    var networkID: Int { facts.networkID }
    /// Counts the runners this process started for the network; only grows.
    var generation: Int { facts.generation }
    /// Quoted content hash of the document (the HTTP ETag).
    var etag: String { facts.etag }

    /// The store's revision (etcd `mod_revision`) of the document this runner runs; nil with the file store.
    var revision: Int64? {
        let r = storeRevision.load(ordering: .acquiring)
        return r == 0 ? nil : r
    }

    /// The document was written again unchanged at `revision`. Call with the network's writer lock held.
    func updateRevision(_ revision: Int64?) {
        storeRevision.store(revision ?? 0, ordering: .releasing)
    }

    /// created, running or stopped.
    var state: RunnerLifecycle.State { control.withLock { $0.lifecycle.state } }

    /// Unix seconds when the runner started; nil before.

    /// Cycles this runner has run; with a shared store, cycles run on the network by every
    /// replica together (the count kept in the shared peer table).
    var cycleNum: Int { lifecycleSnapshot.cycleNum }

    /// State, start time and cycle count read under one lock (status responses need all three).
    var lifecycleSnapshot: (state: RunnerLifecycle.State, startedAt: Double?, cycleNum: Int) {
        let snapshot = control.withLock { ($0.lifecycle.state, $0.startedAt, $0.cycleNum) }
        guard environment.shared != nil else { return snapshot }
        return (snapshot.0, snapshot.1, peers.cycleNum)
    }

    /// The replica that runs the network's cycles (shared store only; nil otherwise, or when none is known).
    var cycleOwner: String? { environment.shared?.ownership?.owner }

    /// True when the peer table is shared through the store (etcd): `cycleOwner` then says something.
    var sharesPeers: Bool { facts.sharesPeers }

    /// Decision counters.
    var decisionCounts: DecisionCounts { counters.snapshot }

    /// Runtime errors of action events (join, leave, cycle) so far.
    var actionErrorCount: Int { counters.actionErrors.load(ordering: .relaxed) }

    /// Starts the runner and, when `config.cycle` is set, its cycle timer.
    /// A no-op when already started or stopped.
    func start() {
        control.withLock { c in
            guard c.lifecycle.start() else { return }
            c.startedAt = environment.now()
            if let seconds = policy.config.cycleSeconds {
                c.timer = makeCycleTimer(every: seconds)
            }
        }
    }

    /// Stops the runner: no more cycles, no more directives. Waits for a cycle in
    /// progress to finish. A no-op before start and when already stopped.
    /// Must not be called from inside a cycle of this runner.
    func stop() {
        let (stoppedNow, timer) = control.withLock { c in
            let now = c.lifecycle.stop()
            defer { c.timer = nil }
            return (now, c.timer)
        }
        timer?.cancel()
        if stoppedNow {
            cyclesInFlight.wait()
        }
    }

    private func makeCycleTimer(every seconds: Double) -> any DispatchSourceTimer {
        let timer = DispatchSource.makeTimerSource(queue: cycleQueue)
        let interval = DispatchTimeInterval.nanoseconds(Int(min(seconds, 1e9) * 1e9))
        timer.schedule(deadline: .now() + interval, repeating: interval, leeway: .milliseconds(100))
        let shared = environment.shared
        timer.setEventHandler { [weak self] in
            guard let self else { return }
            // With a shared store only the cycle owner runs the cycle, committed to the store.
            if let shared { shared.timerFired(self) } else { _ = self.cycleOnQueue() }
        }
        timer.resume()
        return timer
    }
}
