import PolicyService
import Prometheus

/// One series of a Prometheus duration histogram, recorded without a lock.
///
/// swift-prometheus's `Histogram.record` takes a mutex per observation, and every polling thread
/// records into the same route's histogram: one lock and one contended cache line per request.
/// Here a thread adds to its own stripe (`StripedCounters`): its bucket (not cumulative) and
/// the sum in nanoseconds. The exposition adds the stripes up and writes exactly what
/// swift-prometheus writes for the same observations (`LatencyHistogramTests` compares the
/// two); the count is the sum of the buckets, so `+Inf` and `_count` always agree.
final class LatencyHistogram: Sendable {
    /// `name="value"` pairs, as swift-prometheus renders them.
    private let renderedLabels: [UInt8]
    /// Upper bounds in nanoseconds, ascending.
    private let bounds: [Int64]
    /// The bounds as swift-prometheus writes them in `le`.
    private let boundTexts: [String]
    /// A count per bucket, one for values above the last bound, then the sum.
    private let cells: StripedCounters

    /// `buckets` ascending, as given to swift-prometheus's factory.
    init(labels: [(String, String)], buckets: [Duration]) {
        renderedLabels = Self.render(labels)
        bounds = buckets.map { d in
            let (s, atto) = d.components
            return s * 1_000_000_000 + atto / 1_000_000_000
        }
        boundTexts = buckets.map(\.bucketRepresentation)
        cells = StripedCounters(count: buckets.count + 2)
    }

    /// Records one observation of `nanoseconds`.
    func record(nanoseconds: Int64) {
        var bucket = 0
        while bucket < bounds.count, bounds[bucket] < nanoseconds { bucket += 1 }
        cells.add(bucket)
        cells.add(bounds.count + 1, Int(nanoseconds))
    }

    /// A histogram family as swift-prometheus's registry writes one: its `# TYPE` line (no
    /// `# HELP`: swift-metrics' factory registers none), then each series; nothing without series.
    static func emitFamily(name: String, _ series: [LatencyHistogram], into buffer: inout [UInt8]) {
        guard !series.isEmpty else { return }
        buffer.append(contentsOf: "# TYPE \(name) histogram\n".utf8)
        for histogram in series { histogram.emit(name: name, into: &buffer) }
    }

    /// This series' lines, as swift-prometheus's `Histogram.emit` writes them: one `_bucket`
    /// per bound (cumulative), `+Inf`, `_sum`, `_count`.
    func emit(name: String, into buffer: inout [UInt8]) {
        let counts = (0...bounds.count).map { cells.value($0) }
        let sum = cells.value(bounds.count + 1)
        var cumulative = 0
        for (index, text) in boundTexts.enumerated() {
            cumulative += counts[index]
            buffer.append(contentsOf: name.utf8)
            buffer.append(contentsOf: "_bucket{".utf8)
            appendLabels(comma: true, into: &buffer)
            buffer.append(contentsOf: "le=\"\(text)\"} \(cumulative)\n".utf8)
        }
        let count = cumulative + counts[bounds.count]
        buffer.append(contentsOf: name.utf8)
        buffer.append(contentsOf: "_bucket{".utf8)
        appendLabels(comma: true, into: &buffer)
        buffer.append(contentsOf: "le=\"+Inf\"} \(count)\n".utf8)
        for (suffix, value) in [("_sum", Duration.nanoseconds(sum).bucketRepresentation), ("_count", "\(count)")] {
            buffer.append(contentsOf: name.utf8)
            buffer.append(contentsOf: suffix.utf8)
            if renderedLabels.isEmpty {
                buffer.append(UInt8(ascii: " "))
            } else {
                buffer.append(UInt8(ascii: "{"))
                appendLabels(comma: false, into: &buffer)
                buffer.append(contentsOf: "} ".utf8)
            }
            buffer.append(contentsOf: "\(value)\n".utf8)
        }
    }

    private func appendLabels(comma: Bool, into buffer: inout [UInt8]) {
        guard !renderedLabels.isEmpty else { return }
        buffer.append(contentsOf: renderedLabels)
        if comma { buffer.append(UInt8(ascii: ",")) }
    }

    /// `a="x",b="y"`, label values escaped as the text format wants (backslash, quote, line feed).
    private static func render(_ labels: [(String, String)]) -> [UInt8] {
        var out: [UInt8] = []
        for (index, (name, value)) in labels.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: name.utf8)
            out.append(contentsOf: "=\"".utf8)
            for byte in value.utf8 {
                switch byte {
                case UInt8(ascii: "\\"): out.append(contentsOf: "\\\\".utf8)
                case UInt8(ascii: "\""): out.append(contentsOf: "\\\"".utf8)
                case UInt8(ascii: "\n"): out.append(contentsOf: "\\n".utf8)
                default: out.append(byte)
                }
            }
            out.append(UInt8(ascii: "\""))
        }
        return out
    }
}
