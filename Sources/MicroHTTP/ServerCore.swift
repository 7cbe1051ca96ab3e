import Dispatch
import Locking
import Logging
import Synchronization

/// The part of the server that libmicrohttpd's callbacks reach through their `cls` pointer.
///
/// `HTTPServer.start()` retains it with `Unmanaged` and hands the raw pointer to libmicrohttpd;
/// `stop` releases it only after `MHD_stop_daemon` has returned, when no callback can run any more.
/// Callbacks run concurrently on the pool threads, so everything here is immutable or atomic.
final class ServerCore: Sendable {
    let responder: any HTTPResponder
    let logger: Logger
    let maxBodyBytes: Int
    /// Requests presented to the access handler and not yet completed.
    let inFlight = Atomic<Int>(0)
    /// Open connections on which no request has begun yet (see `ConnectionState`).
    let unreadConnections = Atomic<Int>(0)
    /// Set by `closeKeepAliveConnections` (shutdown began): responses then carry `Connection: close`.
    let draining = Atomic<Bool>(false)
    /// The last message libmicrohttpd logged, to explain a failed start.
    let lastLibraryMessage = Locked<String?>(nil)
    /// Offloaded requests whose connection is still suspended (libmicrohttpd must not stop then).
    let suspended = Atomic<Int>(0)
    /// Requests answered ``HTTPAnswer/later(ifStopped:_:)`` and not completed yet (completed on stop).
    let waiting = Locked<[ObjectIdentifier: HTTPResponseCompletion]>([:])
    /// Set when the server starts stopping: a request answered later then gets its fallback at once.
    let stopping = Atomic<Bool>(false)
    /// Where requests that may block are answered.
    let blockingQueue = DispatchQueue(label: "microhttp.blocking", attributes: .concurrent)

    /// Cuts off connections slow to send their first request (nil: no such deadline).
    let headerWatchdog: HeaderWatchdog?

    init(responder: any HTTPResponder, logger: Logger, maxBodyBytes: Int, headerTimeoutSeconds: Int = 0) {
        self.responder = responder
        self.logger = logger
        self.maxBodyBytes = maxBodyBytes
        self.headerWatchdog = headerTimeoutSeconds > 0 ? HeaderWatchdog(timeout: .seconds(headerTimeoutSeconds), logger: logger) : nil
    }

    /// Records and logs a message from libmicrohttpd (bind failures, TLS errors, connection limits).
    func libraryLogged(_ message: String) {
        lastLibraryMessage.withLock { $0 = message }
        logger.notice("libmicrohttpd: \(message)")
    }
}
