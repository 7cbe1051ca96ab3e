import Foundation
import HTTPTestClient

/// `policyd serve` as a child process: its port from the "listening" line, its stderr
/// collected in the background (so a chatty server never blocks on a full pipe).
final class PolicydProcess: @unchecked Sendable {
    let process = Process()
    private(set) var port = 0
    private let reader: Thread

    /// Launches `policyd` with `arguments` (and `POLICYD_SHUTDOWN_DELAY=0` unless `environment` sets it) and waits (at most 20 s) for its "listening" line.
    init(_ arguments: [String], environment: [String: String] = [:]) throws {
        process.executableURL = URL(fileURLWithPath: policydExecutable)
        process.arguments = arguments
        // Tests stop servers with SIGTERM and expect the drain at once: no shutdown delay unless asked for.
        process.environment = ProcessInfo.processInfo.environment
            .merging(["POLICYD_SHUTDOWN_DELAY": "0"]) { $1 }.merging(environment) { $1 }
        let pipe = Pipe()
        process.standardError = pipe
        process.standardOutput = FileHandle.nullDevice
        let handle = pipe.fileHandleForReading
        let box = Collector()
        reader = Thread {
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                box.append(String(decoding: chunk, as: UTF8.self))
            }
        }
        collector = box
        try process.run()
        reader.start()
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if let line = output.split(separator: "\n").first(where: { $0.contains("[policyd] listening") }),
                let range = line.range(of: #"port=\d+"#, options: .regularExpression),
                let port = Int(line[range].dropFirst(5))
            {
                self.port = port
                return
            }
            if !process.isRunning { break }
            Thread.sleep(forTimeInterval: 0.02)
        }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        throw TestClientError(description: "no listening line; stderr: \(output)")
    }

    private let collector: Collector

    /// Everything the process wrote to stderr so far.
    var output: String { collector.text }

    /// Waits until `GET /readyz` answers 200 (plain HTTP).
    func waitReady(timeout: TimeInterval = 10) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let r = try? fetch(port, "GET", "/readyz"), r.status == 200 { return }
            Thread.sleep(forTimeInterval: 0.03)
        }
        throw TestClientError(description: "never ready; stderr: \(output)")
    }

    /// Waits until stderr contains `text`.
    func waitForLog(_ text: String, timeout: TimeInterval = 10) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if output.contains(text) { return true }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return false
    }

    func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    /// The exit status, waiting at most `timeout`; nil (after a SIGKILL) when it did not exit in time.
    func waitExit(timeout: TimeInterval = 20) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning {
            signal(SIGKILL)
            process.waitUntilExit()
            return nil
        }
        return process.terminationStatus
    }

    deinit {
        if process.isRunning {
            signal(SIGKILL)
            process.waitUntilExit()
        }
    }
}

/// Text appended from the reader thread and read from the test's.
private final class Collector: @unchecked Sendable {
    private let lock = NSLock()
    private var value = ""
    func append(_ s: String) { lock.withLock { value += s } }
    var text: String { lock.withLock { value } }
}

/// Runs `executable` to completion: its exit status and stderr.
func runCapturingStderr(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws
    -> (status: Int32, stderr: String)
{
    let r = try runProcess(executable, arguments, environment: environment)
    return (r.status, r.stderr)
}

/// A fresh temporary directory path (not created).
func temporaryPath(_ prefix: String) -> String {
    NSTemporaryDirectory() + prefix + "-" + UUID().uuidString
}

/// Blocking client work on dedicated threads (the global queue may be busy with other tests).
final class Workers: @unchecked Sendable {
    private let group = DispatchGroup()

    func spawn(_ body: @escaping @Sendable () -> Void) {
        group.enter()
        let thread = Thread { [group] in
            body()
            group.leave()
        }
        thread.start()
    }

    /// True when every thread finished within `timeout` seconds.
    func wait(timeout: TimeInterval) -> Bool {
        group.wait(timeout: .now() + timeout) == .success
    }
}

/// A policy whose connect decisions loop over the peer's tags three levels deep: with a
/// thousand tags, every evaluation runs into the 100 ms time budget.
let slowPolicy = #"""
    {"version": 1, "default_verdict": "allow", "rules": [
      {"name": "burn", "on": "connect", "match": "any(peer_tags, {any(peer_tags, {any(peer_tags, # == 'zz')})})",
       "actions": [{"type": "allow"}]},
      {"name": "regex", "on": "dial", "match": "none(peer_tags, {any(peer_tags, {# matches '(a|a)*b'})})",
       "actions": [{"type": "allow"}]}
    ]}
    """#

/// A decision request for `event` with `count` distinct tags.
func slowDecision(_ event: String = "connect", tags count: Int = 1000) -> String {
    let tags = (0..<count).map { "\"tag-\($0)-aaaaaaaaaaaaaaaaaaaa\"" }.joined(separator: ",")
    return #"{"event":"\#(event)","peer_tags":[\#(tags)]}"#
}
