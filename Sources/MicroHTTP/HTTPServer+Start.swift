import CMicroHTTPD
import CMicroHTTPDShims
import Locking
import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension HTTPServer {
    /// Binds and starts serving; throws ``HTTPServerError`` when the configuration is invalid or the address is taken.
    public func start() throws {
        // Held across the (brief) daemon start so that a concurrent stop() sees either idle or running.
        try state.withLock { state in
            guard case .idle = state.phase else { throw HTTPServerError.alreadyStarted }
            let daemon = try startDaemon()
            state.phase = .running(daemon)
            state.boundPort = Int(CMHD_daemon_bind_port(daemon.handle))
        }
        core.headerWatchdog?.start()
        core.logger.info(
            "HTTP server listening",
            metadata: [
                "address": "\(HTTPServerError.display(host: configuration.host, port: port))",
                "threads": "\(configuration.threads)",
                "tls": "\(configuration.usesTLS)",
            ]
        )
    }

    private func startDaemon() throws -> RunningDaemon {
        let config = configuration
        try Self.validate(config)
        guard let address = SocketAddress.listen(host: config.host, port: UInt16(config.port)) else {
            throw HTTPServerError.invalidHost(config.host)
        }
        // ITC is what lets MHD_quiesce_daemon wake the pool threads; epoll exists on Linux only.
        var flags = MHD_USE_INTERNAL_POLLING_THREAD.rawValue | MHD_USE_ITC.rawValue | MHD_USE_ERROR_LOG.rawValue
        // Suspend/resume: requests that may block are answered off the polling threads (ServerCore+Offload).
        flags |= MHD_ALLOW_SUSPEND_RESUME.rawValue
        #if os(Linux)
            flags |= MHD_USE_EPOLL.rawValue
        #else
            flags |= MHD_USE_AUTO.rawValue
        #endif
        if config.usesTLS { flags |= MHD_USE_TLS.rawValue }
        if case .v6(_, let anyAddress) = address {
            flags |= anyAddress ? MHD_USE_DUAL_STACK.rawValue : MHD_USE_IPv6.rawValue
        }
        let optionStrings = [config.tlsKeyPEM, config.tlsCertificatePEM].compactMap { $0.map { strdup($0)! } }
        // Balanced by `release()` after MHD_stop_daemon, or just below when the start fails.
        let retained = Unmanaged.passRetained(core)
        core.lastLibraryMessage.withLock { $0 = nil }
        let handle = Self.withSocketAddress(address) { sockaddr in
            var options = Self.options(config, core: retained.toOpaque(), address: sockaddr, strings: optionStrings)
            options.append(MHD_OptionItem(option: .END, value: 0, ptr_value: nil))
            return CMHD_start_daemon(flags, UInt16(config.port), mhdAccessHandler, retained.toOpaque(), options)
        }
        guard let handle else {
            retained.release()
            optionStrings.forEach { free($0) }
            let reason = core.lastLibraryMessage.withLock { $0 } ?? "libmicrohttpd could not start"
            throw HTTPServerError.startFailed(host: config.host, port: config.port, reason: reason)
        }
        return RunningDaemon(handle: handle, core: retained, quiescedSocket: nil, optionStrings: optionStrings)
    }

    private static func options(
        _ config: HTTPServerConfiguration,
        core: UnsafeMutableRawPointer,
        address: UnsafeMutableRawPointer,
        strings: [UnsafeMutablePointer<CChar>]
    ) -> [MHD_OptionItem] {
        // Two-pointer options carry the function in `value` (as an integer) and its cls in `ptr_value`.
        let log: MHD_LogCallback = mhdLog
        let completed: MHD_RequestCompletedCallback = mhdRequestCompleted
        let notify: MHD_NotifyConnectionCallback = mhdConnectionNotify
        var options = [
            MHD_OptionItem(option: .EXTERNAL_LOGGER, value: unsafeBitCast(log, to: Int.self), ptr_value: core),
            MHD_OptionItem(option: .NOTIFY_COMPLETED, value: unsafeBitCast(completed, to: Int.self), ptr_value: core),
            MHD_OptionItem(option: .NOTIFY_CONNECTION, value: unsafeBitCast(notify, to: Int.self), ptr_value: core),
            MHD_OptionItem(option: .SOCK_ADDR, value: 0, ptr_value: address),
            MHD_OptionItem(option: .CONNECTION_LIMIT, value: config.connectionLimit, ptr_value: nil),
            MHD_OptionItem(option: .PER_IP_CONNECTION_LIMIT, value: config.perIPConnectionLimit, ptr_value: nil),
            MHD_OptionItem(option: .CONNECTION_TIMEOUT, value: config.connectionTimeoutSeconds, ptr_value: nil),
            MHD_OptionItem(option: .CONNECTION_MEMORY_LIMIT, value: config.connectionMemoryLimit, ptr_value: nil),
        ]
        if config.threads > 1 {
            options.append(MHD_OptionItem(option: .THREAD_POOL_SIZE, value: config.threads, ptr_value: nil))
        }
        if strings.count == 2 {
            options.append(MHD_OptionItem(option: .HTTPS_MEM_KEY, value: 0, ptr_value: UnsafeMutableRawPointer(strings[0])))
            options.append(MHD_OptionItem(option: .HTTPS_MEM_CERT, value: 0, ptr_value: UnsafeMutableRawPointer(strings[1])))
        }
        return options
    }

    private static func withSocketAddress<R>(_ address: SocketAddress.Listen, _ body: (UnsafeMutableRawPointer) -> R) -> R {
        switch address {
        case .v4(var v4):
            withUnsafeMutableBytes(of: &v4) { body($0.baseAddress!) }
        case .v6(var v6, _):
            withUnsafeMutableBytes(of: &v6) { body($0.baseAddress!) }
        }
    }

    private static func validate(_ config: HTTPServerConfiguration) throws {
        func require(_ condition: Bool, _ what: String) throws {
            if !condition { throw HTTPServerError.invalidConfiguration(what) }
        }
        try require((0...65535).contains(config.port), "port must be 0...65535, got \(config.port)")
        try require(config.threads >= 1, "threads must be at least 1, got \(config.threads)")
        try require(config.maxBodyBytes >= 0, "maxBodyBytes must not be negative")
        try require(config.connectionLimit >= 1, "connectionLimit must be at least 1")
        try require(config.perIPConnectionLimit >= 0, "perIPConnectionLimit must not be negative")
        try require(config.connectionTimeoutSeconds >= 0, "connectionTimeoutSeconds must not be negative")
        try require(config.headerTimeoutSeconds >= 0, "headerTimeoutSeconds must not be negative")
        try require(config.connectionMemoryLimit >= 4096, "connectionMemoryLimit must be at least 4096")
        try require(
            (config.tlsCertificatePEM == nil) == (config.tlsKeyPEM == nil),
            "tlsCertificatePEM and tlsKeyPEM must be set together"
        )
    }
}
