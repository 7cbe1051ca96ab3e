import Foundation
import Locking
import Logging
import PolicyLanguage
import Synchronization

@testable import PolicyService

/// A fresh data directory under the system temp dir, removed by `cleanup()`.
struct TempDir {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "policyd-test-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func cleanup() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// A clock tests move by hand.
final class TestClock: Sendable {
    private let seconds = Locked<Double>(1_800_000_000)
    var now: Double { seconds.withLock { $0 } }
    func advance(_ by: Double) { seconds.withLock { $0 += by } }
}

/// Collects what the service reports, in order.
final class Recorder<T: Sendable>: Sendable {
    private let items = Locked<[T]>([])
    func append(_ item: T) { items.withLock { $0.append(item) } }
    var all: [T] { items.withLock { $0 } }
}

func testLogger() -> Logger {
    var logger = Logger(label: "test")
    logger.logLevel = .critical
    return logger
}

func makeEnvironment(clock: TestClock? = nil, events: Recorder<PolicyEvent>? = nil) -> RunnerEnvironment {
    RunnerEnvironment(
        logger: testLogger(),
        outlet: { event in events?.append(event) },
        now: { clock?.now ?? Date().timeIntervalSince1970 })
}

func makeService(
    _ dir: TempDir, clock: TestClock? = nil, events: Recorder<PolicyEvent>? = nil,
    swaps: Recorder<SwapEvent>? = nil
) throws -> PolicyService {
    PolicyService(
        store: try FilePolicyStore(directory: dir.path),
        environment: makeEnvironment(clock: clock, events: events),
        observer: { swaps?.append($0) })
}

/// A small valid policy: `port == <port>` allows connects, everything else is denied.
func allowPortPolicy(_ port: Int, verdict: String = "allow") -> [UInt8] {
    Array(
        """
        {"version": 1, "default_verdict": "deny", "rules": [
          {"name": "port-\(port)", "on": "connect", "match": "port == \(port)", "actions": [{"type": "\(verdict)"}]}
        ]}
        """.utf8)
}

func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

/// Runs `body` on `count` threads at once and waits for all.
func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    let group = DispatchGroup()
    for i in 0..<count {
        group.enter()
        let thread = Thread {
            body(i)
            group.leave()
        }
        thread.start()
    }
    group.wait()
}

func load(_ counter: borrowing Atomic<Int>) -> Int { counter.load(ordering: .relaxed) }

/// The stored document must have ETag `etag`, as an If-Match of one strong tag states it (the
/// API's RFC 9110 semantics are tested in PolicyAPITests' `WritePreconditionsTests`).
func storedETag(is etag: String) -> ExpectedDocument {
    .checked { stored in stored == etag ? nil : "stored policy has ETag \(stored ?? "none"), not \(etag)" }
}

/// Nothing may be stored, as `If-None-Match: *` states it.
let nothingStored = ExpectedDocument.checked { stored in stored == nil ? nil : "a policy is already stored" }
