import PolicyLanguage

extension PolicyService {
    /// Applies a network's full member list (serialized with the network's other writes),
    /// then saves the peer table.
    /// With a shared store the update is computed on the table as the store holds it and
    /// committed there before this runner takes it (see `SharedPeers`).
    public func updateMembers(_ members: [MemberInput], for networkID: Int) throws(ServiceError) -> MembershipResult {
        try writers.withLock(networkID) { () throws(ServiceError) -> MembershipResult in
            guard let runner = registry.runner(for: networkID) else {
                throw .notFound("no runner for network \(networkID)")
            }
            if let shared {
                return try shared.commit(runner, fence: nil) { scope in runner.updateMembership(members, in: scope) }
            }
            let result = runner.updateMembership(members)
            persister.persist(networkID, runner.peers)
            return result
        }
    }

    /// Runs a cycle of a network's runner now (with a shared store: on any replica, counted
    /// and committed like the owner's timed cycles, without the owner's fence).
    public func runCycle(_ networkID: Int) throws(ServiceError) -> CycleResult {
        // A swap may stop the runner we found before its cycle starts: look again.
        for _ in 0..<8 {
            guard let runner = registry.runner(for: networkID) else { break }
            if let shared {
                if let result = try shared.cycle(runner, fence: nil) { return result }
            } else if let result = runner.runCycle() {
                return result
            }
        }
        throw .notFound("no runner for network \(networkID)")
    }
}

extension PolicyService {
    /// The shared store's peer tables of these networks changed (the follower saw it): each
    /// runner takes its table as this replica knows it now. Nothing without a shared store.
    public func peerTablesChanged(_ networkIDs: [Int]) {
        guard let shared else { return }
        for id in networkIDs {
            // Under the writer lock: a runner installed meanwhile read the table after this change.
            writers.withLock(id) {
                guard let runner = registry.runner(for: id) else { return }
                let known = shared.knownTable(id)
                runner.peers.adopt(known, revision: known.storeRevision)
            }
        }
    }
}
