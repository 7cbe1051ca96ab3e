import CoreMetrics
import Dispatch
import FoundationEssentials
import Prometheus
import Testing

@testable import PolicyAPI

/// The lock-free latency histogram writes what swift-prometheus's histogram (the one it
/// replaced) writes for the same observations, byte for byte, and loses none under threads.
@Suite struct LatencyHistogramTests {
    /// Bounds themselves (a value equal to a bound is in that bucket), between them, zero,
    /// past the last bound, and odd nanoseconds for the sum.
    static let observations: [Int64] = [
        0, 1, 49_999, 50_000, 50_001, 99_999, 100_000, 250_000, 333_333, 500_000, 999_999, 1_000_000,
        2_500_000, 2_500_001, 7_777_777, 10_000_000, 60_000_000, 250_000_000, 999_999_999,
        1_000_000_000, 2_500_000_000, 2_500_000_001, 9_000_000_000, 123_456_789,
    ]

    /// What swift-prometheus writes: the registry with only this family in it.
    private static func prometheusText(labels: [(String, String)], _ values: [Int64]) -> String {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = APIMetrics.latencyBuckets
        let timer = CoreMetrics.Timer(label: APIMetrics.latencyName, dimensions: labels, factory: factory)
        for v in values { timer.recordNanoseconds(v) }
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    private static func ourText(_ series: [LatencyHistogram]) -> String {
        var buffer: [UInt8] = []
        LatencyHistogram.emitFamily(name: APIMetrics.latencyName, series, into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    @Test(arguments: [
        [("route", "/v1/networks/{id}/decisions")],
        [],
        [("route", "a \"quoted\" \\ back\nslash")],
        [("route", "/healthz"), ("method", "GET")],
    ])
    func writesWhatSwiftPrometheusWrites(labels: [(String, String)]) {
        let histogram = LatencyHistogram(labels: labels, buckets: APIMetrics.latencyBuckets)
        for v in Self.observations { histogram.record(nanoseconds: v) }
        let ours = Self.ourText([histogram])
        #expect(ours == Self.prometheusText(labels: labels, Self.observations))
        #expect(ours.contains(#"le="0.00005"} 4"#), "50 us: 0, 1, 49 999 and 50 000 ns")
        #expect(ours.contains(#"le="+Inf"} 24"#))
    }

    @Test func anEmptySeriesAndAnEmptyFamilyAreWrittenAsSwiftPrometheusWritesThem() {
        let histogram = LatencyHistogram(labels: [("route", "/readyz")], buckets: APIMetrics.latencyBuckets)
        #expect(Self.ourText([histogram]) == Self.prometheusText(labels: [("route", "/readyz")], []))
        #expect(Self.ourText([]) == "")
    }

    @Test func seriesOfOneFamilyShareItsTypeLine() {
        let a = LatencyHistogram(labels: [("route", "/a")], buckets: APIMetrics.latencyBuckets)
        let b = LatencyHistogram(labels: [("route", "/b")], buckets: APIMetrics.latencyBuckets)
        a.record(nanoseconds: 70_000)
        b.record(nanoseconds: 3_000_000)
        let text = Self.ourText([a, b])
        #expect(text.components(separatedBy: "# TYPE").count == 2)
        let expectedA = Self.prometheusText(labels: [("route", "/a")], [70_000])
        let expectedB = Self.prometheusText(labels: [("route", "/b")], [3_000_000])
        // The same lines as two separate swift-prometheus series, under one TYPE line.
        let lines = Set(text.split(separator: "\n"))
        #expect(lines == Set(expectedA.split(separator: "\n")).union(expectedB.split(separator: "\n")))
    }

    @Test func concurrentRecordsAreAllCounted() {
        let histogram = LatencyHistogram(labels: [("route", "/x")], buckets: APIMetrics.latencyBuckets)
        let threads = 8
        let perThread = 20_000
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            for i in 0..<perThread {
                histogram.record(nanoseconds: Self.observations[(i + t) % Self.observations.count])
            }
        }
        // The same multiset of values recorded on one thread by swift-prometheus.
        var values: [Int64] = []
        for t in 0..<threads {
            for i in 0..<perThread { values.append(Self.observations[(i + t) % Self.observations.count]) }
        }
        #expect(Self.ourText([histogram]) == Self.prometheusText(labels: [("route", "/x")], values))
    }

    @Test func theAPIExposesEachRoutesLatenciesOnce() throws {
        let f = try APIFixture()
        for _ in 0..<5 { f.call("GET", "/healthz") }
        f.call("GET", "/v1/networks/9/runner")
        f.call("PATCH", "/healthz")
        let text = f.call("GET", "/metrics").text
        #expect(text.components(separatedBy: "# TYPE policyd_http_request_duration_seconds histogram").count == 2)
        #expect(text.contains(#"policyd_http_request_duration_seconds_count{route="/healthz"} 5"#))
        #expect(text.contains(#"policyd_http_request_duration_seconds_bucket{route="/v1/networks/{id}/runner",le="+Inf"} 1"#))
        #expect(text.contains(#"policyd_http_request_duration_seconds_count{route="unmatched"} 1"#))
        #expect(text.contains(#"policyd_http_requests_total{route="/healthz",method="GET",status="200"} 5"#))
    }
}
