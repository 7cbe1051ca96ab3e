/// Where an ``HTTPServer`` is in its life: idle, then running, then stopping, then stopped.
struct ServerState {
    enum Phase {
        case idle
        case running(RunningDaemon)
        /// `stop` has taken the daemon out and is draining and stopping it.
        case stopping
        case stopped
    }

    var phase: Phase = .idle
    /// The bound port, known once started.
    var boundPort: Int?
}

/// A started libmicrohttpd daemon and what must outlive it.
struct RunningDaemon {
    /// The `struct MHD_Daemon *`.
    let handle: OpaquePointer
    /// The retain that keeps the callbacks' `ServerCore` alive; released after `MHD_stop_daemon`.
    let core: Unmanaged<ServerCore>
    /// The listen socket handed back by `MHD_quiesce_daemon`; it is ours to close, after `MHD_stop_daemon`.
    var quiescedSocket: Int32?
    /// C strings passed as options (the TLS key and certificate), freed after `MHD_stop_daemon`.
    let optionStrings: [UnsafeMutablePointer<CChar>]
}
