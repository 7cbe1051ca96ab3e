import Foundation
import Logging
import PolicyLanguage
import PolicyService

/// Resident memory of this process, from /proc/self/status.
enum Memory {
    static func residentBytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            let kib = line.split(separator: " ").compactMap { Int($0) }.first ?? 0
            return kib * 1024
        }
        return 0
    }

    static func describe(_ bytes: Int) -> String {
        String(format: "%.1f MiB", Double(bytes) / 1_048_576)
    }
}

/// A temporary data directory, removed on request.
struct ScratchDirectory {
    let path: String

    init(parent: String, name: String) {
        path = (parent as NSString).appendingPathComponent("policyd-bench-\(name)-\(UUID().uuidString)")
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// A service over `directory` whose logger only lets warnings through (as `--log-level warning`).
///
/// `maxRules` raises the default limit of 256 rules per document, as `policyd serve --max-rules` does.
func makeService(directory: String, maxRules: Int? = nil) -> PolicyService {
    var logger = Logger(label: "policyd-bench")
    logger.logLevel = .warning
    var limits = PolicyLimits()
    if let maxRules { limits.maxRules = max(limits.maxRules, maxRules) }
    do {
        return PolicyService(
            store: try FilePolicyStore(directory: directory), environment: RunnerEnvironment(logger: logger), limits: limits)
    } catch {
        fatalError("cannot open \(directory): \(error)")
    }
}

/// Seconds taken by `body`.
func seconds(_ body: () throws -> Void) rethrows -> Double {
    let clock = ContinuousClock()
    let began = clock.now
    try body()
    let (s, atto) = (clock.now - began).components
    return Double(s) + Double(atto) / 1e18
}

/// The value at fraction `q` (0...1) of sorted `values`.
func quantile(_ values: [Double], _ q: Double) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return 0 }
    return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * q).rounded()))]
}

func format(_ value: Double, _ decimals: Int = 2) -> String {
    String(format: "%.\(decimals)f", value)
}
