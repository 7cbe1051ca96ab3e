import ArgumentParser
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
    var drainSeconds: Int
    var limits = PolicyLimits()
    /// The tokens of `--tokens-file`; nil serves /v1 unauthenticated.
    var tokens: AccessTokens?
    var allowUnauthenticated = false

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
        drainSeconds = try EnvironmentDefault.value(c.drainSeconds, "POLICYD_DRAIN_SECONDS", default: 10)
        try resolveLimits(c)
        try resolveSecurity(c)
    }
}
