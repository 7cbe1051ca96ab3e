import PolicyService

/// Startup: a new service loading every stored policy of a directory.
struct StartupTiming {
    let directory: String

    func run() {
        let before = Memory.residentBytes()
        let service = makeService(directory: directory)
        var results: [ReloadResult] = []
        let took = seconds { results = service.loadStored() }
        let started = results.filter { $0.action == .started }.count
        let failed = results.filter { $0.action == .failed }.count
        print("\nstartup: loadStored() of \(results.count) stored policies")
        print(
            "  \(format(took, 2)) s (\(format(took * 1e6 / Double(max(results.count, 1)), 0)) us per network), "
                + "\(started) started, \(failed) failed, RSS +\(Memory.describe(Memory.residentBytes() - before))")
    }
}
