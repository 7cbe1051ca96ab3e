// policyd-bench, run with `swift run -c release policyd-bench [api | scale [networks] [rules] [startup]]`
// (debug numbers mean little).
//
// Without arguments: the micro-benchmarks (MicroBenchmarks.swift, SwapStorm.swift).
//
// `etcd`: replicas over a real etcd: propagation of a PUT to another replica (p50/p99 over
// BENCH_ETCD_WRITES=200 writes) and startup of a replica with BENCH_ETCD_POLICIES=10000
// policies in etcd (EtcdBench.swift; needs /usr/bin/etcd, `make deps` installs it).
//
// `api`: PolicyAPI.respond(to:) for a runner status and for decisions, no sockets
// (APIPath.swift; BENCH_POLICY, default bench/policies/realistic-10.json).
//
// `scale`: how the service layer scales, without HTTP (all three parts by default):
//   networks  RSS and swap time with 1, 1 000 and 10 000 networks, each with a policy
//             stored durably (fsync) through PolicyService on a temporary directory;
//   rules     decision latency with 10, 100 and 1 000 rules per policy;
//   startup   PolicyService.loadStored() on a directory of 10 000 stored policies.
// BENCH_NETWORKS=1,1000,10000 and BENCH_RULES=10,100,1000 change the steps; BENCH_DIR the
// parent of the temporary directories (default: the system's temporary directory).
import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.isEmpty {
    microBenchmarks()
    exit(0)
}
if arguments == ["etcd"] {
    let env = ProcessInfo.processInfo.environment
    do {
        try await EtcdBench(
            writes: env["BENCH_ETCD_WRITES"].flatMap { Int($0) } ?? 200,
            policies: env["BENCH_ETCD_POLICIES"].flatMap { Int($0) } ?? 10_000
        ).run()
    } catch {
        FileHandle.standardError.write("etcd benchmark failed: \(error)\n".data(using: .utf8)!)
        exit(1)
    }
    exit(0)
}
if arguments == ["api"] {
    apiPathBenchmark(policy: ProcessInfo.processInfo.environment["BENCH_POLICY"] ?? "bench/policies/realistic-10.json")
    exit(0)
}
let known: Set<String> = ["networks", "rules", "startup"]
let requested = Set(arguments.dropFirst())
guard arguments.first == "scale", requested.isSubset(of: known) else {
    FileHandle.standardError.write("usage: policyd-bench [api | etcd | scale [networks] [rules] [startup]]\n".data(using: .utf8)!)
    exit(2)
}
let modes = requested.isEmpty ? known : requested
let environment = ProcessInfo.processInfo.environment

func steps(_ name: String, _ fallback: [Int]) -> [Int] {
    environment[name].map { $0.split(separator: ",").compactMap { Int($0) } } ?? fallback
}

print("policyd-bench scale: \(ProcessInfo.processInfo.activeProcessorCount) cores, RSS at start \(Memory.describe(Memory.residentBytes()))")
let parent = environment["BENCH_DIR"] ?? NSTemporaryDirectory()
var populated: ScratchDirectory?
if modes.contains("networks") || modes.contains("startup") {
    let scaling = NetworkScaling(parent: parent, steps: steps("BENCH_NETWORKS", [1, 1_000, 10_000]))
    if modes.contains("networks") {
        populated = scaling.run()
    }
    if modes.contains("startup") {
        let dir = populated ?? scaling.populateOnly()
        StartupTiming(directory: dir.path).run()
        if populated == nil { dir.remove() }
    }
}
if modes.contains("rules") {
    RuleScaling(parent: parent, steps: steps("BENCH_RULES", [10, 100, 1_000])).run()
}
populated?.remove()
