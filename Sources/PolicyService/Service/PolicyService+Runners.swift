import PolicyLanguage

extension PolicyService {
    /// Applies a network's full member list (serialized with the network's other writes),
    /// then saves the peer table.
    public func updateMembers(_ members: [MemberInput], for networkID: Int) throws(ServiceError) -> MembershipResult {
        try writers.withLock(networkID) { () throws(ServiceError) -> MembershipResult in
            guard let runner = registry.runner(for: networkID) else {
                throw .notFound("no runner for network \(networkID)")
            }
            let result = runner.updateMembership(members)
            persister.persist(networkID, runner.peers)
            return result
        }
    }

    /// Runs a cycle of a network's runner now.
    public func runCycle(_ networkID: Int) throws(ServiceError) -> CycleResult {
        // A swap may stop the runner we found before its cycle starts: look again.
        for _ in 0..<8 {
            guard let runner = registry.runner(for: networkID) else { break }
            if let result = runner.runCycle() { return result }
        }
        throw .notFound("no runner for network \(networkID)")
    }
}
