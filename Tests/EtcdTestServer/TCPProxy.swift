public import Foundation

/// A loopback TCP proxy in front of one port, to lose what crosses it: while `dropping` is
/// set, bytes in that direction are read and thrown away; `cut()` closes every connection
/// open now (later ones pass everything). Threads and blocking sockets; `stop()` closes it
/// all (its threads keep it alive until then).
public final class TCPProxy: @unchecked Sendable {
    public enum Direction: Sendable {
        /// Client to upstream: requests never arrive.
        case requests
        /// Upstream to client: requests arrive, their answers never come back.
        case answers
    }

    /// Where clients connect: `127.0.0.1:<port>`.
    public let port: Int
    private let upstream: Int
    private let listener: Int32
    private let lock = NSLock()
    private var drop: Direction?
    private var open: [Int32] = []
    private var stopped = false

    /// Listens on a free loopback port and forwards each connection to `127.0.0.1:<upstreamPort>`.
    public init(to upstreamPort: Int) throws {
        upstream = upstreamPort
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = loopback(0)
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            close(fd)
            throw EtcdProcessError(description: "proxy: bind/listen \(errno)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listener = fd
        port = Int(UInt16(bigEndian: addr.sin_port))
        Thread { [self] in acceptLoop() }.start()
    }

    /// `http://127.0.0.1:<port>`.
    public var endpoint: String { "http://127.0.0.1:\(port)" }

    /// Starts (a direction) or stops (nil) throwing bytes away.
    public func dropping(_ direction: Direction?) {
        lock.withLock { drop = direction }
    }

    /// Closes every connection open now, and stops dropping.
    public func cut() {
        // Under the lock: a socket is closed (and its number reused) only under it too.
        lock.withLock {
            drop = nil
            for fd in open { shutdown(fd, Int32(SHUT_RDWR)) }
        }
    }

    /// Closes the listener and every connection.
    public func stop() {
        let first = lock.withLock {
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        cut()
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            guard client >= 0 else { break }
            let server = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var addr = loopback(upstream)
            let connected = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(server, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard connected == 0 else {
                close(client)
                close(server)
                continue
            }
            lock.withLock { open += [client, server] }
            // The second pump to end closes both sockets (the first only shuts them down).
            let pumps = Countdown(2)
            let finish: @Sendable () -> Void = { [self] in
                shutdown(client, Int32(SHUT_RDWR))
                shutdown(server, Int32(SHUT_RDWR))
                guard pumps.done() else { return }
                lock.withLock {
                    open.removeAll { $0 == client || $0 == server }
                    close(client)
                    close(server)
                }
            }
            Thread { [self] in
                pump(from: client, to: server, .requests)
                finish()
            }.start()
            Thread { [self] in
                pump(from: server, to: client, .answers)
                finish()
            }.start()
        }
        close(listener)
    }

    private func pump(from source: Int32, to target: Int32, _ direction: Direction) {
        var buffer = [UInt8](repeating: 0, count: 16384)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(source, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { return }
            if lock.withLock({ drop == direction }) { continue }
            var sent = 0
            while sent < n {
                let m = buffer.withUnsafeBytes { send(target, $0.baseAddress! + sent, n - sent, Int32(MSG_NOSIGNAL)) }
                guard m > 0 else { return }
                sent += m
            }
        }
    }
}

private func loopback(_ port: Int) -> sockaddr_in {
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    addr.sin_port = UInt16(port).bigEndian
    return addr
}

/// Counts down from `n`: true for the call that reaches 0.
private final class Countdown: @unchecked Sendable {
    private let lock = NSLock()
    private var left: Int

    init(_ n: Int) { left = n }

    func done() -> Bool {
        lock.withLock {
            left -= 1
            return left == 0
        }
    }
}
