import Foundation
import HTTPTestClient
import Logging
import MicroHTTP
import PolicyAPI
import PolicyLanguage
import PolicyService

/// A real server (libmicrohttpd + the API + a service on a temporary data directory) on
/// 127.0.0.1, port 0.
final class LiveServer {
    let dir: String
    let api: PolicyAPI
    let server: HTTPServer
    var port: Int { server.port }

    init(
        maxBodyBytes: Int = 1_048_576, limits: PolicyLimits = PolicyLimits(),
        configure: (inout HTTPServerConfiguration) -> Void = { _ in }
    ) throws {
        dir = NSTemporaryDirectory() + "policyd-e2e-" + UUID().uuidString
        let logger = Logger(label: "e2e") { _ in SwiftLogNoOpLogHandler() }
        let service = PolicyService(
            store: try FilePolicyStore(directory: dir), environment: RunnerEnvironment(logger: logger), limits: limits)
        api = PolicyAPI(service: service, logger: logger)
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        configuration.maxBodyBytes = maxBodyBytes
        configure(&configuration)
        server = HTTPServer(configuration: configuration, responder: api, logger: logger)
        try server.start()
        service.loadStored()
        api.markReady()
    }

    deinit {
        server.stop(drainTimeout: .seconds(2))
        api.service.shutdown()
        try? FileManager.default.removeItem(atPath: dir)
    }

    func connect() throws -> TestConnection { try TestConnection(port: port) }
}

extension TestResponse {
    var json: JSONValue? { try? JSONParser().parse(body) }
    subscript(_ key: String) -> JSONValue? { json?[key] }
    var errorCode: String? { json?["error"]?["code"]?.stringValue }
}

extension TestConnection {
    /// A JSON request on this connection.
    func json(_ method: String, _ target: String, _ body: String? = nil, headers: [String] = []) throws -> TestResponse {
        try exchange(
            method, target, headers: (body == nil ? [] : ["Content-Type: application/json"]) + headers,
            body: Array((body ?? "").utf8))
    }
}

/// `port == 22` for ops peers allowed, else denied.
let sshPolicy = """
    {"version": 1, "default_verdict": "deny", "rules": [
      {"name": "ops-ssh", "on": "connect", "match": "port == 22 && has_tag(peer_tags, 'ops')", "actions": [{"type": "allow"}]},
      {"name": "mark", "on": "join", "match": "true", "actions": [{"type": "tag", "params": {"add": ["probation"]}}]},
      {"name": "expire", "on": "cycle", "match": "true", "actions": [
        {"type": "evict_where", "params": {"match": "has_tag(peer_tags, 'banned')"}}]}
    ]}
    """

/// A policy whose every connect decision is `verdict`, from rule `name`.
func constantPolicy(_ verdict: String, name: String) -> String {
    """
    {"version": 1, "default_verdict": "\(verdict == "allow" ? "deny" : "allow")", "rules": [
      {"name": "\(name)", "on": "connect", "match": "port >= 0", "actions": [{"type": "\(verdict)"}]}]}
    """
}

/// The built `policyd` executable, next to the test bundle.
var policydExecutable: String {
    let bundle = Bundle.main.bundleURL.deletingLastPathComponent()
    for candidate in [bundle, bundle.deletingLastPathComponent()] {
        let path = candidate.appendingPathComponent("policyd").path
        if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return ".build/debug/policyd"
}
