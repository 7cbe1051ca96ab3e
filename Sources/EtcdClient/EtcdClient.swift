import GRPCCore
import GRPCNIOTransportHTTP2Posix
import Locking

/// An etcd v3 client over its gRPC API: KV reads and writes, transactions, watches and
/// leases. Knows nothing of what the keys mean.
///
/// It keeps one HTTP/2 connection per endpoint and sends each call to the current one;
/// when an endpoint does not answer, the call moves on to the next (reads always, writes
/// only when they were certainly not taken: no connection, no leader; so a write is never
/// sent twice, and one that may have been applied throws `indeterminate`). Every unary call
/// has a deadline (`callTimeout` in all, however many endpoints it tried): nothing hangs.
public final class EtcdClient: Sendable {
    public let endpoints: [EtcdEndpoint]
    /// The longest a unary call may take, across every endpoint it tries.
    public let callTimeout: Duration
    let connections: [Connection]
    private let current = Locked(0)
    private let running: Task<Void, Never>

    /// Connects (lazily: the first call waits for it) to `endpoints`.
    public init(endpoints: [EtcdEndpoint], callTimeout: Duration = .seconds(3)) throws(EtcdError) {
        guard !endpoints.isEmpty else { throw .invalidEndpoint("no etcd endpoint") }
        self.endpoints = endpoints
        self.callTimeout = callTimeout
        var connections: [Connection] = []
        for endpoint in endpoints {
            connections.append(try Connection(endpoint))
        }
        self.connections = connections
        running = Task {
            await withDiscardingTaskGroup { group in
                for connection in connections {
                    group.addTask { try? await connection.client.runConnections() }
                }
            }
        }
    }

    /// `init(endpoints:)` from `http://host:port[,http://host:port...]`.
    public convenience init(_ urls: String, callTimeout: Duration = .seconds(3)) throws(EtcdError) {
        try self.init(endpoints: try EtcdEndpoint.list(urls), callTimeout: callTimeout)
    }

    /// Closes every connection; calls in flight fail, later calls throw `closed`.
    public func close() {
        for connection in connections { connection.client.beginGracefulShutdown() }
        running.cancel()
    }

    deinit { close() }

    /// The endpoint calls go to now.
    public var currentEndpoint: EtcdEndpoint { endpoints[current.withLock { $0 }] }

    /// Runs `body` against the current endpoint, moving on to the next one on failures that
    /// say the endpoint did not take the call, until every endpoint was tried or the
    /// deadline (`callTimeout` from now unless given) passed. `idempotent` calls also move on
    /// after a timeout or a lost connection; other calls then throw `indeterminate`. No
    /// attempt waits longer than `attemptTimeout` when given.
    func call<R: Sendable>(
        idempotent: Bool, deadline: ContinuousClock.Instant? = nil, attemptTimeout: Duration? = nil,
        _ body: @Sendable (Connection, CallOptions) async throws -> R
    ) async throws(EtcdError) -> R {
        let clock = ContinuousClock()
        let deadline = deadline ?? clock.now + callTimeout
        var lastError = EtcdError.unavailable("no endpoint tried")
        // Every endpoint once, then again after a short pause while time is left: a
        // connection may close under a call (Debian's etcd 3.4 drops a client connection
        // after about 200 streams), a member may have no leader for a moment (an election),
        // and the retry goes out on the next one.
        var attempt = 0
        while true {
            let index = current.withLock { $0 }
            let remaining = deadline - clock.now
            guard remaining > .milliseconds(1) else { break }
            if attempt >= connections.count {
                try? await Task.sleep(for: min(.milliseconds(50 * (attempt - connections.count + 1)), remaining / 2))
            }
            var options = CallOptions.defaults
            // Each endpoint not tried yet gets an equal share of the time left: a member that
            // went silent cannot use up the time the others need.
            let share = (deadline - clock.now) / max(1, connections.count - attempt)
            options.timeout = attemptTimeout.map { min($0, share) } ?? share
            // Fail at once when the connection is down rather than queue until the deadline:
            // the next endpoint still has time, and a call that timed out in a queue would look
            // like one etcd may have applied. The loop above waits for a reconnection.
            options.waitForReady = false
            options.maxResponseMessageBytes = 64 * 1024 * 1024
            attempt += 1
            do {
                return try await body(connections[index], options)
            } catch let error as RPCError {
                lastError = Self.map(error, endpoint: endpoints[index])
                let failure = EtcdFailure(error)
                guard failure != .refused else { throw lastError }
                // Later calls go to the next endpoint; this one moves on too unless it is a write
                // that may have reached etcd (sending it twice could apply it twice).
                rotate(from: index)
                if failure == .unknown, !idempotent { throw .indeterminate("\(endpoints[index]): \(error.code) \(error.message)") }
            } catch {
                throw Self.map(error, endpoint: endpoints[index])
            }
        }
        throw lastError
    }

    /// After a failure of endpoint `index`, calls go to the next one (unless another caller moved on already).
    func rotate(from index: Int) {
        current.withLock { if $0 == index { $0 = (index + 1) % connections.count } }
    }

    /// The connection calls go to now, and its index.
    func currentConnection() -> (Connection, Int) {
        let index = current.withLock { $0 }
        return (connections[index], index)
    }

    static func map(_ error: any Error, endpoint: EtcdEndpoint) -> EtcdError {
        if let error = error as? EtcdError { return error }
        guard let rpc = error as? RPCError else { return .unavailable("\(endpoint): \(error)") }
        switch rpc.code {
        case .unavailable, .deadlineExceeded, .cancelled, .resourceExhausted:
            return .unavailable("\(endpoint): \(rpc.code) \(rpc.message)")
        case .outOfRange where rpc.message.contains("compacted"):
            return .compacted(0)
        default:
            return .rejected("\(endpoint): \(rpc.code) \(rpc.message)")
        }
    }
}

/// One endpoint's gRPC client and the service stubs over it.
final class Connection: Sendable {
    let endpoint: EtcdEndpoint
    let client: GRPCClient<HTTP2ClientTransport.Posix>
    let kv: Etcdserverpb_KV.Client<HTTP2ClientTransport.Posix>
    let watch: Etcdserverpb_Watch.Client<HTTP2ClientTransport.Posix>
    let lease: Etcdserverpb_Lease.Client<HTTP2ClientTransport.Posix>
    /// etcd's `hasleader`: a member without a leader (during an election) refuses the call at
    /// once ("no leader", not taken) instead of holding it until it times out.
    static let requireLeader: Metadata = ["hasleader": "true"]

    init(_ endpoint: EtcdEndpoint) throws(EtcdError) {
        self.endpoint = endpoint
        var config = HTTP2ClientTransport.Posix.Config.defaults
        // Reconnect quickly after etcd comes back (the default waits up to two minutes).
        config.backoff = .init(initial: .milliseconds(100), max: .seconds(2), multiplier: 1.6, jitter: 0.2)
        // Pings find a dead peer under a long-lived watch. etcd refuses pings more often than
        // every 5 s, and any without a call in flight.
        config.connection.keepalive = .init(time: .seconds(10), timeout: .seconds(5), allowWithoutCalls: false)
        let target: any ResolvableTarget =
            if endpoint.host.contains(":") {
                ResolvableTargets.IPv6.ipv6(address: endpoint.host, port: endpoint.port)
            } else if endpoint.host.split(separator: ".").count == 4, endpoint.host.allSatisfy({ $0.isNumber || $0 == "." }) {
                ResolvableTargets.IPv4.ipv4(address: endpoint.host, port: endpoint.port)
            } else {
                ResolvableTargets.DNS.dns(host: endpoint.host, port: endpoint.port)
            }
        let transport: HTTP2ClientTransport.Posix
        do {
            transport = try HTTP2ClientTransport.Posix(target: target, transportSecurity: .plaintext, config: config)
        } catch {
            throw .invalidEndpoint("\(endpoint): \(error)")
        }
        client = GRPCClient(transport: transport)
        kv = Etcdserverpb_KV.Client(wrapping: client)
        watch = Etcdserverpb_Watch.Client(wrapping: client)
        lease = Etcdserverpb_Lease.Client(wrapping: client)
    }
}
