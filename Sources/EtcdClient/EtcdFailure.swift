import GRPCCore

/// What a failed call says about whether etcd took it: whether it may go to another
/// endpoint, and whether a write may have been applied.
enum EtcdFailure: Equatable {
    /// etcd's own answer (invalid argument, compacted...): the call ends with it.
    case refused
    /// The call never reached a member that could apply it (no connection, no leader, the
    /// proposal dropped): any call, a write too, may be sent again.
    case notTaken
    /// The call may have reached etcd and no answer came (a timeout, a connection lost under
    /// it, etcd's "request timed out" or "leader changed"): a read may be sent again; a
    /// write's outcome is unknown.
    case unknown

    init(_ error: RPCError) {
        let message = error.message
        if Self.notTakenMessages.contains(where: { message.contains($0) }) {
            self = .notTaken
        } else if [.unavailable, .deadlineExceeded, .unknown, .internalError].contains(error.code) {
            self = .unknown
        } else {
            self = .refused
        }
    }

    /// Said before a request is sent or proposed. etcd 3.4 (api/v3rpc/rpctypes, raft): no
    /// leader (the `hasleader` check or a proposal on a member without one), not capable,
    /// unhealthy cluster, too many requests. grpc-swift: no connection to send it on (failed,
    /// not ready, shut down). Anything else errs on the safe side: unknown.
    static let notTakenMessages = [
        "etcdserver: no leader", "raft proposal dropped", "etcdserver: not capable", "etcdserver: unhealthy cluster",
        "etcdserver: too many requests",
        "transient failure state", "isn't ready", "subchannel is unavailable", "Could not establish a connection",
        "no subchannel available", "Failed to resolve server name", "shutting down", "shut down", "is shutdown",
        "channel is closed", "The channel was closed", "before completing the HTTP/2 connection preface",
    ]
}
