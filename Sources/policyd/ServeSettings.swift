import ArgumentParser
import EtcdClient
import Logging
import MicroHTTP
import PolicyAPI
import PolicyLanguage

/// `serve`'s flags resolved against the environment and checked.
struct ServeSettings {
    var http = HTTPServerConfiguration()
    var dataDir: String
    /// Where to say the URL the server answers on (`--endpoint-file`); nil says it nowhere.
    var endpointFile: String?
    var logLevel: Logger.Level
    /// A `request` line for every request (`--access-log`); off: writes and failures only.
    var accessLog: Bool
    var drainSeconds: Int
    /// Seconds between the first SIGTERM/SIGINT (readiness turns draining) and the drain.
    var shutdownDelaySeconds: Int
    var limits = PolicyLimits()
    /// The tokens of `--tokens-file`; nil serves /v1 unauthenticated.
    var tokens: AccessTokens?
    var allowUnauthenticated = false
    /// etcd's client URLs; empty keeps the policies in `dataDir`.
    var etcdEndpoints: [EtcdEndpoint] = []
    var etcdPrefix = "/policyd/"
    /// The deadline of each etcd call (a write makes two).
    var etcdTimeout: Duration = .seconds(3)
    /// This replica's id (`--replica-id`); empty until resolved to `host:port` as bound.
    var replicaID = ""
    /// The URL other replicas and operators reach this one at (`--advertise-address`); empty: as bound.
    var advertiseAddress = ""
    /// Seconds a replica's etcd leases (registration, cycle owner) live without keep-alive (`--lease-ttl`).
    var leaseTTL = 10

    init(_ c: ServeCommand) throws {
        http.host = try EnvironmentDefault.value(c.host, "POLICYD_HOST", default: "127.0.0.1")
        http.port = try EnvironmentDefault.value(c.port, "POLICYD_PORT", default: 8080)
        guard (0...65535).contains(http.port) else { throw ValidationError("--port must be 0...65535") }
        dataDir = try EnvironmentDefault.value(c.dataDir, "POLICYD_DATA_DIR", default: "./data")
        endpointFile = try EnvironmentDefault.optional(c.endpointFile, "POLICYD_ENDPOINT_FILE")
        http.threads = try EnvironmentDefault.value(c.threads, "POLICYD_THREADS", default: http.threads)
        guard (1...256).contains(http.threads) else { throw ValidationError("--threads must be 1...256") }
        let level = try EnvironmentDefault.value(c.logLevel, "POLICYD_LOG_LEVEL", default: "info")
        guard let parsed = Logger.Level(rawValue: level) else { throw ValidationError("unknown log level \(level)") }
        logLevel = parsed
        accessLog = try EnvironmentDefault.value(c.accessLog ? true : nil, "POLICYD_ACCESS_LOG", default: false)
        drainSeconds = try EnvironmentDefault.value(c.drainSeconds, "POLICYD_DRAIN_SECONDS", default: 10)
        // 5 s: more than fall x interval + interval of a proxy checking every second (3 x 1 + 1), as
        // Istio's drain default; still quick for Ctrl-C, and a second signal skips it.
        shutdownDelaySeconds = try EnvironmentDefault.value(c.shutdownDelay, "POLICYD_SHUTDOWN_DELAY", default: 5)
        guard (0...3600).contains(shutdownDelaySeconds) else {
            throw ValidationError("--shutdown-delay must be 0...3600, got \(shutdownDelaySeconds)")
        }
        try resolveLimits(c)
        try resolveSecurity(c)
        try resolveStore(c)
    }
}
