public import Foundation

/// A real etcd (Debian's etcd-server, `/usr/bin/etcd`) as a child process on free loopback
/// ports with a throw-away data directory. Killed, and its directory removed, on `stop()`
/// or deinit, so a failing test leaves nothing running.
public final class EtcdProcess: @unchecked Sendable {
    public let name: String
    public let clientPort: Int
    public let peerPort: Int
    public let dataDir: String
    private let initialCluster: String
    private let clusterState: String
    private let lock = NSLock()
    private var process: Process?
    private var log = ""

    /// `http://127.0.0.1:<client port>`.
    public var endpoint: String { "http://127.0.0.1:\(clientPort)" }

    /// A single-member cluster, started and healthy. A probed port can be taken by another
    /// test before etcd binds it: then it tries again on other ports (three times in all).
    public static func single() throws -> EtcdProcess {
        try retrying {
            let peer = try freePort()
            let etcd = try EtcdProcess(
                name: "etcd0", clientPort: try freePort(), peerPort: peer, initialCluster: "etcd0=http://127.0.0.1:\(peer)")
            do {
                try etcd.start()
            } catch {
                etcd.stop()
                throw error
            }
            return etcd
        }
    }

    private static func retrying<T>(_ body: () throws -> T) throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try body()
            } catch  where attempt < 3 {
                continue
            }
        }
    }

    /// A member, not started: `initialCluster` names every member's peer URL.
    public init(name: String, clientPort: Int, peerPort: Int, initialCluster: String, state: String = "new") throws {
        self.name = name
        self.clientPort = clientPort
        self.peerPort = peerPort
        self.initialCluster = initialCluster
        self.clusterState = state
        dataDir = NSTemporaryDirectory() + "policyd-etcd-" + UUID().uuidString
    }

    /// `init()` from a Swift concurrency task: starting etcd blocks for a while, so it runs on
    /// a thread of its own rather than holding one of the few threads tasks run on.
    public static func started() async throws -> EtcdProcess {
        try await onThread { try EtcdProcess.single() }
    }

    /// `start()` from a Swift concurrency task (see `started()`).
    public func restart() async throws {
        try await onThread { try self.start() }
    }

    /// Three members on free ports, started; `waitReady` once all are up.
    public static func cluster(size: Int = 3) throws -> [EtcdProcess] {
        try retrying { try makeCluster(size: size) }
    }

    private static func makeCluster(size: Int) throws -> [EtcdProcess] {
        let ports = try (0..<size).map { _ in (try freePort(), try freePort()) }
        let initial = ports.enumerated().map { "etcd\($0.offset)=http://127.0.0.1:\($0.element.1)" }.joined(separator: ",")
        let members = try ports.enumerated().map {
            try EtcdProcess(name: "etcd\($0.offset)", clientPort: $0.element.0, peerPort: $0.element.1, initialCluster: initial)
        }
        do {
            for member in members { try member.launch() }
            for member in members { try member.waitReady() }
        } catch {
            for member in members { member.stop() }
            throw error
        }
        return members
    }

    /// Launches the process (again, after `kill`: same ports and data directory) and waits until it serves.
    public func start() throws {
        try launch()
        try waitReady()
    }

    func launch() throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.executable)
        p.arguments = [
            "--name", name, "--data-dir", dataDir,
            "--listen-client-urls", endpoint, "--advertise-client-urls", endpoint,
            "--listen-peer-urls", "http://127.0.0.1:\(peerPort)",
            "--initial-advertise-peer-urls", "http://127.0.0.1:\(peerPort)",
            "--initial-cluster", initialCluster, "--initial-cluster-state", clusterState,
            "--initial-cluster-token", "policyd-test", "--log-level", "error",
        ]
        let pipe = Pipe()
        p.standardOutput = FileHandle.nullDevice
        p.standardError = pipe
        let handle = pipe.fileHandleForReading
        Thread { [weak self] in
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                self?.append(String(decoding: chunk, as: UTF8.self))
            }
        }.start()
        try p.run()
        lock.withLock { process = p }
    }

    private func append(_ text: String) {
        lock.withLock { log = String((log + text).suffix(20_000)) }
    }

    /// What etcd wrote to stderr (the end of it).
    public var output: String { lock.withLock { log } }

    /// Waits until the client port answers `/health` (a quorum is there) or fails.
    public func waitReady(timeout: TimeInterval = 30) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            guard let p = lock.withLock({ process }), p.isRunning else { break }
            if healthy() {
                // Healthy, and still running: not another test's etcd on a port this one lost.
                Thread.sleep(forTimeInterval: 0.1)
                if p.isRunning { return }
                break
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw EtcdProcessError(description: "etcd \(name) never became healthy: \(output)")
    }

    /// `GET /health` answered `"health":"true"` (etcd's own endpoint on the client port).
    public func healthy() -> Bool {
        guard let body = try? httpGet(port: clientPort, path: "/health") else { return false }
        return body.contains("\"health\":\"true\"")
    }

    /// Sends `signal` (SIGKILL, SIGSTOP, SIGCONT...) to the process.
    public func signal(_ number: Int32) {
        if let p = lock.withLock({ process }), p.isRunning { kill(p.processIdentifier, number) }
    }

    /// SIGKILLs the process and waits for it; the data directory stays (start() again resumes it).
    public func kill9() {
        guard let p = lock.withLock({ process }) else { return }
        if p.isRunning {
            kill(p.processIdentifier, SIGCONT)
            kill(p.processIdentifier, SIGKILL)
        }
        p.waitUntilExit()
        lock.withLock { process = nil }
    }

    /// Kills the process, empties its data directory and starts it again on the same ports: an
    /// etcd that came back wiped (no keys, revisions from 1 again).
    public func wipe() throws {
        kill9()
        try? FileManager.default.removeItem(atPath: dataDir)
        try start()
    }

    /// Kills the process and removes its data directory.
    public func stop() {
        kill9()
        try? FileManager.default.removeItem(atPath: dataDir)
    }

    deinit { stop() }

    /// Runs `etcdctl` against this member: its exit status and output.
    public func etcdctl(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/etcdctl")
        p.arguments = ["--endpoints", endpoint, "--command-timeout", "5s"] + arguments
        p.environment = ["ETCDCTL_API": "3", "PATH": "/usr/bin:/bin"]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// `etcdctl endpoint status -w fields` as quoted name -> value, or nil when it cannot be read.
    private func statusFields() -> [String: String]? {
        guard let (status, output) = try? etcdctl(["endpoint", "status", "-w", "fields"]), status == 0 else { return nil }
        var fields: [String: String] = [:]
        for line in output.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 2 { fields[parts[0]] = parts[1] }
        }
        return fields
    }

    /// The store's current revision, or nil when it cannot be read.
    public func revision() -> Int? {
        statusFields()?["\"Revision\""].flatMap { Int($0) }
    }

    /// Whether this member is the cluster's leader now (`etcdctl endpoint status`).
    public func isLeader() -> Bool {
        guard let fields = statusFields(), let member = fields["\"MemberID\""] else { return false }
        return member == fields["\"Leader\""]
    }

    /// `ETCD_BINARY` or Debian's `/usr/bin/etcd`.
    public static var executable: String {
        ProcessInfo.processInfo.environment["ETCD_BINARY"] ?? "/usr/bin/etcd"
    }
}

public struct EtcdProcessError: Error, CustomStringConvertible {
    public var description: String
}

/// Runs blocking work on a new thread and awaits it.
func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}

/// A loopback TCP port that was free a moment ago (bound to port 0, then closed).
public func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw EtcdProcessError(description: "socket: \(errno)") }
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    addr.sin_port = 0
    let bound = withUnsafePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard bound == 0 else { throw EtcdProcessError(description: "bind: \(errno)") }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let named = withUnsafeMutablePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    guard named == 0 else { throw EtcdProcessError(description: "getsockname: \(errno)") }
    return Int(UInt16(bigEndian: addr.sin_port))
}

/// A one-shot HTTP/1.0 GET on loopback with a 2 s timeout: the body.
func httpGet(port: Int, path: String) throws -> String {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw EtcdProcessError(description: "socket") }
    defer { close(fd) }
    var timeout = timeval(tv_sec: 2, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    addr.sin_port = UInt16(port).bigEndian
    let connected = withUnsafePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard connected == 0 else { throw EtcdProcessError(description: "connect \(port): \(errno)") }
    let request = Array("GET \(path) HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".utf8)
    _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
    var out: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n <= 0 { break }
        out += buffer[0..<n]
    }
    return String(decoding: out, as: UTF8.self)
}
