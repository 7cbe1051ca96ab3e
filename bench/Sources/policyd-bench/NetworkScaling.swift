import Foundation
import PolicyService
import Synchronization

/// Memory and swap time as the number of networks grows: networks are added (each PUT
/// stored durably) up to each step, then RSS is read and one network is swapped repeatedly.
struct NetworkScaling {
    let parent: String
    let steps: [Int]
    /// Concurrent writers while populating: the fsyncs of different files overlap.
    let writers = 8
    /// Swaps timed at each step.
    let swapsPerStep = 40

    /// Runs every step; returns the populated directory (for the startup benchmark).
    func run() -> ScratchDirectory {
        let dir = ScratchDirectory(parent: parent, name: "networks")
        let baseline = Memory.residentBytes()
        let service = makeService(directory: dir.path)
        print("\nnetworks: each with the 10-rule policy, stored with fsync (\(dir.path))")
        print("networks  populate s  ms/network  RSS          RSS - start  KiB/network  swap p50 ms  swap p90 ms  swap max ms")
        var have = 0
        for target in steps.sorted() where target > have {
            let took = populate(service, from: have + 1, through: target)
            let added = target - have
            have = target
            let rss = Memory.residentBytes()
            let swaps = timeSwaps(service, network: 1)
            let columns = [
                pad(target, 8), pad(format(took, 1), 10), pad(format(took * 1000 / Double(added)), 10),
                pad(Memory.describe(rss), 11), pad(Memory.describe(rss - baseline), 11),
                pad(format(Double(rss - baseline) / 1024 / Double(target), 1), 11),
                pad(format(quantile(swaps, 0.5) * 1000), 11), pad(format(quantile(swaps, 0.9) * 1000), 11),
                pad(format(quantile(swaps, 1) * 1000), 11),
            ]
            print(columns.joined(separator: "  "))
        }
        return dir
    }

    /// Only stores the largest step's networks (for `policyd-bench startup` alone).
    func populateOnly() -> ScratchDirectory {
        let dir = ScratchDirectory(parent: parent, name: "startup")
        let target = steps.max() ?? 10_000
        let took = populate(makeService(directory: dir.path), from: 1, through: target)
        print("\nstored \(target) policies with fsync in \(format(took, 1)) s (\(dir.path))")
        return dir
    }

    /// PUTs the realistic policy for networks `first...last` from several threads; seconds taken.
    private func populate(_ service: PolicyService, from first: Int, through last: Int) -> Double {
        let next = Counter(first)
        let document = BenchPolicies.realistic(variant: 0)
        return seconds {
            let group = DispatchGroup()
            for _ in 0..<writers {
                group.enter()
                Thread {
                    defer { group.leave() }
                    while true {
                        let id = next.take()
                        guard id <= last else { return }
                        do {
                            _ = try service.putPolicy(document, for: id)
                        } catch {
                            fatalError("PUT policy of network \(id): \(error)")
                        }
                    }
                }.start()
            }
            group.wait()
        }
    }

    /// Seconds of each of `swapsPerStep` PUTs of network `network`, alternating two documents.
    private func timeSwaps(_ service: PolicyService, network: Int) -> [Double] {
        (0..<swapsPerStep).map { i in
            let document = BenchPolicies.realistic(variant: i % 2 == 0 ? 1 : 0)
            return seconds {
                do {
                    _ = try service.putPolicy(document, for: network)
                } catch {
                    fatalError("swap of network \(network): \(error)")
                }
            }
        }
    }
}

/// A shared counter handing out network ids to the populating threads.
private final class Counter: Sendable {
    private let value: Atomic<Int>

    init(_ first: Int) {
        value = Atomic(first)
    }

    func take() -> Int {
        value.add(1, ordering: .relaxed).oldValue
    }
}

func pad(_ value: some CustomStringConvertible, _ width: Int) -> String {
    let s = value.description
    return s.count >= width ? s : String(repeating: " ", count: width - s.count) + s
}
