import Locking

/// The active runner of every network. A lookup takes the lock only to copy one
/// reference out of a fixed array slot, and the lock is never held for more than reading
/// or swapping a slot: a lookup never waits behind a replacement's compile, write, the new
/// runner's creation and start, or the old runner's stop.
final class RunnerRegistry: Sendable {
    struct State {
        /// Indexed by network id; slot 0 unused.
        var runners: [Runner?] = Array(repeating: nil, count: NetworkID.range.upperBound + 1)
        /// Last generation started per network; never reset, so generations only grow.
        var generations: [Int: Int] = [:]
        var count = 0
    }

    private let state = Locked(State())

    /// The active runner of a network, or nil.
    func runner(for networkID: Int) -> Runner? {
        guard NetworkID.isValid(networkID) else { return nil }
        return state.withLock { $0.runners[networkID] }
    }

    /// Every active runner, by network id. Under the lock only the networks ever installed are
    /// looked at, not all 65 536 slots (reload-all and the network list call this while
    /// decisions look runners up); the sort happens after it.
    func all() -> [Runner] {
        let runners = state.withLock { s in s.generations.keys.compactMap { s.runners[$0] } }
        return runners.sorted { $0.networkID < $1.networkID }
    }

    /// How many networks have a runner.
    var count: Int { state.withLock { $0.count } }

    /// The swap, steps 3 and 4's first half: build the new runner with the next generation,
    /// start it, then, under the lock, put it in place of the old one, which is returned still
    /// running: the caller stops it after the lock is released. Building and starting happen
    /// outside the lock (only the generation is read under it), so a decision's lookup never
    /// waits behind them, nor behind a low-priority writer thread preempted while holding the
    /// lock. Call with the network's writer lock held: writers of one network never interleave.
    func install(_ networkID: Int, make: (_ generation: Int, _ previous: Runner?) -> Runner) -> (new: Runner, old: Runner?) {
        let (generation, previous) = state.withLock { s in ((s.generations[networkID] ?? 0) + 1, s.runners[networkID]) }
        let new = make(generation, previous)
        new.start()
        let old = state.withLock { s in
            let old = s.runners[networkID]
            s.generations[networkID] = generation
            s.runners[networkID] = new
            if old == nil { s.count += 1 }
            return old
        }
        assert(old === previous, "a runner of network \(networkID) was installed without its writer lock")
        return (new, old)
    }

    /// Unregisters a network's runner and returns it (still running: the caller stops it).
    func remove(_ networkID: Int) -> Runner? {
        state.withLock { s in
            guard let old = s.runners[networkID] else { return nil }
            s.runners[networkID] = nil
            s.count -= 1
            return old
        }
    }
}
