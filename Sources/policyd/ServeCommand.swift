import ArgumentParser
import EtcdClient
import Foundation
import Logging
import MicroHTTP
import PolicyAPI
import PolicyService
import PolicyStoreEtcd
import UnixSignals

/// `policyd serve`: the HTTP server.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the REST API (every flag also reads POLICYD_<FLAG>, e.g. POLICYD_PORT).")

    @Option(help: "Address to listen on (POLICYD_HOST). Default 127.0.0.1.")
    var host: String?

    @Option(help: "TCP port; 0 picks a free one (POLICYD_PORT). Default 8080.")
    var port: Int?

    @Option(help: "Directory of stored policies and peer tables (POLICYD_DATA_DIR). Default ./data.")
    var dataDir: String?

    @Option(help: "Once listening, write the URL it answers on to this file, for health checks (POLICYD_ENDPOINT_FILE).")
    var endpointFile: String?

    @Option(help: "HTTP worker threads (POLICYD_THREADS). Default: one per core.")
    var threads: Int?

    @Option(help: "Largest accepted request body in bytes (POLICYD_MAX_BODY_BYTES). Default 1048576.")
    var maxBodyBytes: Int?

    @Option(help: "trace, debug, info, notice, warning, error or critical (POLICYD_LOG_LEVEL). Default info.")
    var logLevel: String?

    @Flag(
        help: ArgumentHelp(
            "Log a line for every request at info, reads and decisions included; without it only writes, reloads "
                + "and answers >= 400 are logged per request (POLICYD_ACCESS_LOG=true).")
    )
    var accessLog = false

    @Option(help: "Seconds to let requests in flight finish on shutdown (POLICYD_DRAIN_SECONDS). Default 10.")
    var drainSeconds: Int?

    @Option(
        help: ArgumentHelp(
            "Seconds /readyz answers 503 draining while everything else is still served, after SIGTERM or SIGINT "
                + "and before the drain; a second signal skips it (POLICYD_SHUTDOWN_DELAY). Default 5.")
    )
    var shutdownDelay: Int?

    @Option(help: "File of `role token` lines (admin, reader); /v1 then needs a bearer token (POLICYD_TOKENS_FILE).")
    var tokensFile: String?

    @Flag(help: "Serve /v1 without tokens on a non-loopback address (POLICYD_ALLOW_UNAUTHENTICATED=true).")
    var allowUnauthenticated = false

    @Option(help: "PEM certificate chain; with --tls-key the server speaks HTTPS only (POLICYD_TLS_CERT).")
    var tlsCert: String?

    @Option(help: "PEM private key for --tls-cert (POLICYD_TLS_KEY).")
    var tlsKey: String?

    @Option(help: "Most connections open at once (POLICYD_MAX_CONNECTIONS). Default 1024.")
    var maxConnections: Int?

    @Option(
        help: ArgumentHelp(
            "Most connections open at once from one IP address, 0 for no limit; set it when clients connect "
                + "directly, not through a proxy (POLICYD_MAX_CONNECTIONS_PER_IP). Default 0.")
    )
    var maxConnectionsPerIp: Int?

    @Option(help: "Seconds a connection may stay silent before it is closed (POLICYD_CONNECTION_TIMEOUT). Default 75.")
    var connectionTimeout: Int?

    @Option(
        help: "Seconds a new connection may take to send its first request's headers, 0 for no limit (POLICYD_HEADER_TIMEOUT). Default 10.")
    var headerTimeout: Int?

    @Option(help: "Deepest JSON nesting accepted in request bodies and policies (POLICYD_MAX_JSON_DEPTH). Default 64.")
    var maxJsonDepth: Int?

    @Option(help: "Most rules in one policy (POLICYD_MAX_RULES). Default 256.")
    var maxRules: Int?

    @Option(help: "Longest match expression, in characters (POLICYD_MAX_EXPRESSION_LENGTH). Default 4096.")
    var maxExpressionLength: Int?

    @Option(help: "Deepest nesting of a match expression (POLICYD_MAX_EXPRESSION_NESTING). Default 64.")
    var maxExpressionNesting: Int?

    @Option(help: "etcd client URLs, http://host:port[,...]: policies live in etcd, shared by every replica (POLICYD_ETCD_ENDPOINTS).")
    var etcdEndpoints: String?

    @Option(help: "Key prefix in etcd; documents are <prefix>policies/<id> (POLICYD_ETCD_PREFIX). Default /policyd/.")
    var etcdPrefix: String?

    @Option(
        help:
            "Seconds each etcd call may take; a write that cannot reach etcd answers 503 after at most twice this (POLICYD_ETCD_TIMEOUT). Default 3."
    )
    var etcdTimeout: Double?

    @Option(
        help: "This replica's id in etcd and /v1/cluster (POLICYD_REPLICA_ID). Default host:port as bound (the host name on 0.0.0.0 or ::)."
    )
    var replicaId: String?

    @Option(
        help: "The URL this replica is reached at, shown in /v1/cluster (POLICYD_ADVERTISE_ADDRESS). Default http(s)://host:port as bound.")
    var advertiseAddress: String?

    @Option(
        help:
            "Seconds a replica's etcd leases (its registration, the cycle owner's term) live without keep-alive, 2...300 (POLICYD_LEASE_TTL). Default 10."
    )
    var leaseTtl: Int?

    func run() async throws {
        let settings = try ServeSettings(self)
        LoggingSystem.bootstrap { LineLogHandler(label: $0) }
        let logger = {
            var logger = Logger(label: "policyd")
            logger.logLevel = settings.logLevel
            return logger
        }()

        let store: any PolicyStore
        do {
            store = try Self.openStore(settings)
        } catch {
            var metadata: Logger.Metadata = ["data_dir": "\(settings.dataDir)", "error": "\(error)"]
            if let hint = AccessHint.dataDirectory(settings.dataDir) { metadata["hint"] = "\(hint)" }
            logger.critical(
                settings.etcdEndpoints.isEmpty ? "cannot open data directory" : "cannot open the policy store", metadata: metadata)
            throw ExitCode(1)
        }
        // With etcd, one replica (the election's winner) runs every network's cycle timers.
        let election = (store as? EtcdPolicyStore).map { etcd in
            CycleOwnerElection(client: etcd.client, key: etcd.cycleOwnerKey, ttl: Int64(settings.leaseTTL), logger: logger)
        }
        let service = PolicyService(
            store: store,
            environment: RunnerEnvironment(
                logger: logger,
                outlet: { event in
                    logger.info("event", metadata: ["event": "\(event.name)", "network": "\(event.networkID)", "rule": "\(event.rule)"])
                }),
            limits: settings.limits,
            cycleOwnership: election)
        let api = PolicyAPI(service: service, tokens: settings.tokens, accessLog: settings.accessLog, logger: logger)
        settings.logSecurity(logger)
        let server = HTTPServer(configuration: settings.http, responder: api, logger: logger)
        do {
            try server.start()
        } catch {
            logger.critical("cannot start the HTTP server", metadata: ["error": "\(error)"])
            throw ExitCode(1)
        }
        logger.info(
            "listening",
            metadata: [
                "host": "\(settings.http.host)", "port": "\(server.port)", "threads": "\(settings.http.threads)",
                "data_dir": "\(settings.dataDir)", "tls": "\(settings.http.usesTLS)",
                "store":
                    "\(settings.etcdEndpoints.isEmpty ? "files" : "etcd \(settings.etcdEndpoints.map(\.description).joined(separator: ","))")",
                "auth": "\(settings.tokens == nil ? "none" : "tokens")", "access_log": "\(settings.accessLog)",
            ])
        let boundURL = EndpointFile.url(host: settings.http.host, port: server.port, tls: settings.http.usesTLS)
        let replicaID =
            settings.replicaID.isEmpty
            ? ServeSettings.defaultReplicaID(host: settings.http.host, port: server.port) : settings.replicaID
        api.identify(
            replicaID: replicaID,
            address: settings.advertiseAddress.isEmpty ? boundURL : settings.advertiseAddress)
        let endpoint = settings.endpointFile.map(EndpointFile.init(path:))
        if let endpoint {
            do {
                try endpoint.write(boundURL)
            } catch {
                logger.warning(
                    "cannot write the endpoint file: health checks reading it will fail",
                    metadata: ["endpoint_file": "\(endpoint.path)", "error": "\(error.localizedDescription)"])
            }
        }

        election?.start(replicaID: replicaID)

        let signals = await UnixSignalsSequence(trapping: .sigterm, .sigint, .sighup)
        var follower: EtcdStoreFollower?
        var registration: ReplicaRegistration?
        if let etcd = store as? EtcdPolicyStore {
            registration = ReplicaRegistration(store: etcd, ttl: settings.leaseTTL, logger: logger) { api.localReplica() }
            registration?.start()
            // Ready once the first full read of etcd is applied; until then /readyz is 503.
            follower = EtcdStoreFollower(store: etcd, service: service, logger: logger) {
                api.markReady()
                logger.info("ready", metadata: ["networks": "\(service.runnerCount)", "store": "etcd"])
            }
            follower?.start()
        } else {
            service.loadStored()
            api.markReady()
            logger.info("ready", metadata: ["networks": "\(service.runnerCount)"])
        }

        await serveUntilStopped(
            ServeEvents(signals: signals), settings, server: server, api: api, logger: logger,
            onDraining: { endpoint?.remove() },
            afterDrain: {
                await registration?.stop()
                await follower?.stop()
                await election?.stop()
            })
        (store as? EtcdPolicyStore)?.client.close()
    }

    /// The data directory, or etcd when endpoints are given (documents and peer tables in etcd).
    static func openStore(_ settings: ServeSettings) throws -> any PolicyStore {
        guard !settings.etcdEndpoints.isEmpty else { return try FilePolicyStore(directory: settings.dataDir) }
        let client = try EtcdClient(endpoints: settings.etcdEndpoints, callTimeout: settings.etcdTimeout)
        return try EtcdPolicyStore(client: client, prefix: settings.etcdPrefix, peerDirectory: settings.dataDir)
    }
}
