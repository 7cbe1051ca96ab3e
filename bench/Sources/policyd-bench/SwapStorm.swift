import Foundation
import Logging
import PolicyLanguage
import PolicyService
import Synchronization

/// How long a replacement takes (persist with fsync + swap + stop of the old runner),
/// and how many lookups one thread does per second alone and during a replacement storm.
func swapStormBenchmark() {
    let dir = NSTemporaryDirectory() + "policyd-bench-swap-" + UUID().uuidString
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let logger = Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() }
    guard let store = try? FilePolicyStore(directory: dir) else {
        print("swap storm: cannot create \(dir)")
        return
    }
    let service = PolicyService(store: store, environment: RunnerEnvironment(logger: logger))
    @Sendable func document(_ n: Int) -> [UInt8] {
        Array(
            #"{"version":1,"default_verdict":"deny","rules":[{"name":"r\#(n)","on":"connect","match":"port == \#(n % 65536)","actions":[{"type":"allow"}]}]}"#
                .utf8)
    }
    _ = try? service.putPolicy(document(0), for: 7)

    var latencies: [Double] = []
    for n in 1...200 {
        let elapsed = clock.measure { _ = try? service.putPolicy(document(n), for: 7) }
        latencies.append(nanoseconds(elapsed) / 1000)
    }
    latencies.sort()
    print(
        "replacement (compile, fsync'd write, swap, stop old), 200 in a row: median \(Int(latencies[100])) µs, "
            + "p99 \(Int(latencies[197])) µs, max \(Int(latencies[199])) µs")

    func lookupsPerSecond(writers: Int, seconds: Double) -> (perSecond: Double, empty: Int, swaps: Int) {
        let stop = Atomic<Bool>(false)
        let swaps = Atomic<Int>(0)
        let group = DispatchGroup()
        for w in 0..<writers {
            group.enter()
            Thread {
                var n = 1000 * (w + 1)
                while !stop.load(ordering: .relaxed) {
                    n += 1
                    if (try? service.putPolicy(document(n), for: 7)) != nil { swaps.add(1, ordering: .relaxed) }
                }
                group.leave()
            }.start()
        }
        var lookups = 0
        var empty = 0
        let began = clock.now
        let deadline = began + .milliseconds(Int(seconds * 1000))
        while clock.now < deadline {
            for _ in 0..<1000 {
                if service.status(network: 7) == nil { empty += 1 }
            }
            lookups += 1000
        }
        let elapsed = nanoseconds(clock.now - began) / 1e9
        stop.store(true, ordering: .relaxed)
        group.wait()
        return (Double(lookups) / elapsed, empty, swaps.load(ordering: .relaxed))
    }
    let calm = lookupsPerSecond(writers: 0, seconds: 2)
    let storm = lookupsPerSecond(writers: 2, seconds: 3)
    print(
        "lookups by one thread: \(Int(calm.perSecond / 1000))k/s alone; \(Int(storm.perSecond / 1000))k/s during a storm "
            + "of 2 writers (\(storm.swaps) replacements in 3 s), empty lookups: \(calm.empty + storm.empty)")
    service.shutdown()
}
