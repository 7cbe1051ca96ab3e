import CMicroHTTPD
import Locking
public import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An HTTP/1.1 server over libmicrohttpd that hands every request to an ``HTTPResponder``.
///
/// Requests are answered on libmicrohttpd's thread pool, several at once. A server starts once
/// and stops once; dropping a running server stops it without waiting for requests.
public final class HTTPServer: Sendable {
    /// The configuration the server was created with.
    public let configuration: HTTPServerConfiguration
    let core: ServerCore
    let state = Locked(ServerState())

    /// A server that is not listening yet; call ``start()``.
    public init(configuration: HTTPServerConfiguration, responder: some HTTPResponder, logger: Logger) {
        self.configuration = configuration
        self.core = ServerCore(
            responder: responder, logger: logger, maxBodyBytes: configuration.maxBodyBytes,
            headerTimeoutSeconds: configuration.headerTimeoutSeconds)
    }

    deinit {
        stop(drainTimeout: .zero)
    }

    /// The port the server listens on: the bound one once started (useful with port 0), else the configured one.
    public var port: Int {
        state.withLock { $0.boundPort } ?? configuration.port
    }

    /// Requests received and not yet completed.
    public var activeRequests: Int {
        core.inFlight.load(ordering: .relaxed)
    }

    /// Every response from now on carries `Connection: close`, so keep-alive clients and proxies
    /// leave between requests instead of meeting a closed socket later; new connections are still
    /// accepted and served. ``quiesce()`` and ``stop(drainTimeout:)`` imply it.
    public func closeKeepAliveConnections() {
        core.draining.store(true, ordering: .relaxed)
    }

    /// Stops accepting new connections (they are refused from now on); open connections are still served.
    public func quiesce() {
        closeKeepAliveConnections()
        state.withLock { state in
            guard case .running(var daemon) = state.phase, daemon.quiescedSocket == nil else { return }
            let socket = MHD_quiesce_daemon(daemon.handle)
            // The socket may only be closed after MHD_stop_daemon, but shutting it down now makes the
            // kernel refuse new connections (and reset those waiting in the backlog) instead of
            // leaving them unanswered until the drain ends.
            if socket >= 0 { _ = shutdown(socket, Int32(SHUT_RDWR)) }
            daemon.quiescedSocket = socket
            state.phase = .running(daemon)
        }
    }

    /// Quiesces, waits up to `drainTimeout` for requests in flight to complete, then shuts down.
    ///
    /// Idempotent; a call made while another is stopping returns at once. Requests still running
    /// when the wait ends are cut off. Never call it from a handler: it waits for the handler's thread.
    public func stop(drainTimeout: Duration) {
        quiesce()
        let taken: RunningDaemon? = state.withLock { state in
            guard case .running(let daemon) = state.phase else { return nil }
            state.phase = .stopping
            return daemon
        }
        guard let daemon = taken else { return }
        // Requests waiting for an event (``HTTPAnswer/later(ifStopped:_:)``) get their fallback now,
        // rather than holding the drain for as long as they would wait.
        core.completeWaiting()
        drain(within: drainTimeout)
        // Stopping with a suspended connection is undefined in libmicrohttpd: let offloaded
        // handlers (bounded work) finish and resume theirs first.
        while core.suspended.load(ordering: .acquiring) > 0 { usleep(1_000) }
        MHD_stop_daemon(daemon.handle)
        core.headerWatchdog?.stop()
        // Only now can no callback run any more: the socket may be closed and the core released.
        if let socket = daemon.quiescedSocket, socket >= 0 { close(socket) }
        daemon.optionStrings.forEach { free($0) }
        daemon.core.release()
        state.withLock { $0.phase = .stopped }
        core.logger.info("HTTP server stopped", metadata: ["port": "\(port)"])
    }

    /// Waits for requests in flight and for connections accepted before the quiesce whose first
    /// request has not been read yet (their pool thread was busy); idle keep-alive connections
    /// do not hold it up.
    private func drain(within timeout: Duration) {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        func pending() -> (requests: Int, connections: Int) {
            (core.inFlight.load(ordering: .acquiring), core.unreadConnections.load(ordering: .acquiring))
        }
        while pending() != (0, 0), clock.now < deadline {
            usleep(2_000)
        }
        let left = pending()
        if left != (0, 0) {
            core.logger.warning(
                "HTTP server stopping with requests still in flight",
                metadata: ["requests": "\(left.requests)", "unread_connections": "\(left.connections)"])
        }
    }
}
