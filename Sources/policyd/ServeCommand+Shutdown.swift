import Logging
import MicroHTTP
import PolicyAPI
import PolicyService
import UnixSignals

extension ServeCommand {
    /// Serves until SIGTERM or SIGINT, then stops gracefully; SIGHUP reloads meanwhile.
    ///
    /// The first signal turns `/readyz` to 503 draining (and runs `onDraining`) and every response to `Connection: close`,
    /// and keeps serving everything else for the shutdown delay, so a load balancer's health check
    /// takes the replica out before it stops accepting; a second signal ends the delay at once.
    /// Then the drain: no new connections, requests in flight finish, `afterDrain` runs (the etcd
    /// follower stops), runners stop.
    func serveUntilStopped(
        _ serveEvents: ServeEvents, _ settings: ServeSettings, server: HTTPServer, api: PolicyAPI, logger: Logger,
        onDraining: () -> Void = {}, afterDrain: () async -> Void = {}
    ) async {
        let service = api.service
        var signalled = false
        events: for await event in serveEvents.events {
            switch event {
            case .signal(.sighup):
                let results = service.reloadAll(force: false)
                logger.info("reloaded on SIGHUP", metadata: ["networks": "\(results.count)"])
            case .signal(let signal) where !signalled:
                signalled = true
                api.markDraining()
                onDraining()
                server.closeKeepAliveConnections()
                logger.info(
                    "shutting down",
                    metadata: ["signal": "\(signal)", "shutdown_delay_s": "\(settings.shutdownDelaySeconds)"])
                guard settings.shutdownDelaySeconds > 0 else { break events }
                logger.info("readyz answers draining; still serving for the shutdown delay (signal again to skip it)")
                serveEvents.shutdownDelay(.seconds(settings.shutdownDelaySeconds))
            case .signal(let signal):
                logger.info("shutdown delay skipped", metadata: ["signal": "\(signal)"])
                break events
            case .shutdownDelayElapsed:
                logger.info("shutdown delay over")
                break events
            }
        }
        server.stop(drainTimeout: .seconds(settings.drainSeconds))
        await afterDrain()
        service.shutdown()
        let running = service.runningCount
        logger.info("stopped", metadata: ["runners": "\(service.runnerCount)", "still_running": "\(running)"])
        LogSink.standardError.flush()
    }
}
