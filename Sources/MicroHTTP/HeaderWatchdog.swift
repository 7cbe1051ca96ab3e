import CMicroHTTPD
import Locking
import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Cuts off connections that do not deliver their first request's headers in time.
///
/// libmicrohttpd's connection timeout counts silence, so a client trickling a byte now and then
/// (slow-loris) would hold its connection forever. Each new connection is registered here with
/// a deadline and unregistered when its first request begins or when it closes; a thread shuts
/// down the socket of any connection past its deadline, and libmicrohttpd then closes it as if
/// the client had left. The lock is what makes that safe: libmicrohttpd unregisters a connection
/// (connection-notify CLOSED) before it closes the socket, so a descriptor is never shut down
/// after it was closed and reused.
final class HeaderWatchdog: Sendable {
    private struct Entry {
        var socket: Int32
        var deadline: ContinuousClock.Instant
    }

    private let timeout: Duration
    private let logger: Logger
    private let entries = Locked<[UInt: Entry]>([:])
    private let stopping = Atomic<Bool>(false)
    private let stopped = Locked<Bool>(false)

    init(timeout: Duration, logger: Logger) {
        self.timeout = timeout
        self.logger = logger
    }

    func register(_ key: UnsafeMutableRawPointer, socket: Int32) {
        let entry = Entry(socket: socket, deadline: .now + timeout)
        entries.withLock { $0[UInt(bitPattern: key)] = entry }
    }

    func unregister(_ key: UnsafeMutableRawPointer) {
        _ = entries.withLock { $0.removeValue(forKey: UInt(bitPattern: key)) }
    }

    /// Starts checking, four times a second, on a thread of its own (not a task: the checker must
    /// run even when every thread of the cooperative pool is blocked).
    func start() {
        let context = Unmanaged.passRetained(self).toOpaque()
        var thread = pthread_t()
        let created = pthread_create(
            &thread, nil,
            { raw in
                let watchdog = Unmanaged<HeaderWatchdog>.fromOpaque(raw!).takeRetainedValue()
                watchdog.run()
                return nil
            }, context)
        if created == 0 {
            pthread_detach(thread)
        } else {
            Unmanaged<HeaderWatchdog>.fromOpaque(context).release()
            logger.error("could not start the header watchdog thread", metadata: ["errno": "\(created)"])
            stopped.withLock { $0 = true }
        }
    }

    private func run() {
        while !stopping.load(ordering: .relaxed) {
            usleep(250_000)
            cutOffLateConnections()
        }
        stopped.withLock { $0 = true }
    }

    /// Stops checking and waits for the checker to finish (about one check period).
    func stop() {
        stopping.store(true, ordering: .relaxed)
        while !stopped.withLock({ $0 }) { usleep(10_000) }
    }

    private func cutOffLateConnections() {
        let now = ContinuousClock.now
        let cut = entries.withLock { entries -> Int in
            let late = entries.filter { $0.value.deadline <= now }
            for (key, entry) in late {
                _ = shutdown(entry.socket, Int32(SHUT_RDWR))
                entries.removeValue(forKey: key)
            }
            return late.count
        }
        if cut > 0 {
            logger.notice(
                "closed connections that sent no complete request headers in time",
                metadata: ["connections": "\(cut)", "timeout_s": "\(timeout.components.seconds)"])
        }
    }
}
