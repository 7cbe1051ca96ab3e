import ArgumentParser
import Foundation
import Logging
import MicroHTTP
import PolicyAPI
import PolicyService
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

    @Option(help: "HTTP worker threads (POLICYD_THREADS). Default: one per core.")
    var threads: Int?

    @Option(help: "Largest accepted request body in bytes (POLICYD_MAX_BODY_BYTES). Default 1048576.")
    var maxBodyBytes: Int?

    @Option(help: "trace, debug, info, notice, warning, error or critical (POLICYD_LOG_LEVEL). Default info.")
    var logLevel: String?

    @Option(help: "Seconds to let requests in flight finish on shutdown (POLICYD_DRAIN_SECONDS). Default 10.")
    var drainSeconds: Int?

    func run() async throws {
        let settings = try ServeSettings(self)
        LoggingSystem.bootstrap { LineLogHandler(label: $0) }
        let logger = {
            var logger = Logger(label: "policyd")
            logger.logLevel = settings.logLevel
            return logger
        }()

        let store: PolicyStore
        do {
            store = try PolicyStore(directory: settings.dataDir)
        } catch {
            logger.critical("cannot open data directory", metadata: ["data_dir": "\(settings.dataDir)", "error": "\(error)"])
            throw ExitCode(1)
        }
        let service = PolicyService(
            store: store,
            environment: RunnerEnvironment(
                logger: logger,
                outlet: { event in
                    logger.info("event", metadata: ["event": "\(event.name)", "network": "\(event.networkID)", "rule": "\(event.rule)"])
                }))
        let api = PolicyAPI(service: service, logger: logger)
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
                "data_dir": "\(settings.dataDir)",
            ])

        let signals = await UnixSignalsSequence(trapping: .sigterm, .sigint, .sighup)
        service.loadStored()
        api.markReady()
        logger.info("ready", metadata: ["networks": "\(service.runnerCount)"])

        for await signal in signals {
            if signal == .sighup {
                let results = service.reloadAll(force: false)
                logger.info("reloaded on SIGHUP", metadata: ["networks": "\(results.count)"])
                continue
            }
            logger.info("shutting down", metadata: ["signal": "\(signal)"])
            api.markDraining()
            server.stop(drainTimeout: .seconds(settings.drainSeconds))
            service.shutdown()
            logger.info("stopped")
            LogSink.standardError.flush()
            return
        }
    }
}
