import Foundation
import Logging
import MicroHTTP
import PolicyAPI
import PolicyLanguage
import PolicyService

/// An API over a service on a fresh temporary data directory, loaded and ready.
final class APIFixture {
    let dir: String
    let api: PolicyAPI

    init(ready: Bool = true) throws {
        dir = NSTemporaryDirectory() + "policyd-api-" + UUID().uuidString
        let logger = Logger(label: "api-test") { _ in SwiftLogNoOpLogHandler() }
        let service = PolicyService(store: try FilePolicyStore(directory: dir), environment: RunnerEnvironment(logger: logger))
        api = PolicyAPI(service: service, logger: logger)
        if ready {
            service.loadStored()
            api.markReady()
        }
    }

    deinit {
        api.service.shutdown()
        try? FileManager.default.removeItem(atPath: dir)
    }

    /// Calls the API as the server would.
    @discardableResult
    func call(
        _ method: String, _ path: String, body: String? = nil, headers: [(name: String, value: String)] = [],
        query: [(name: String, value: String?)] = []
    ) -> Reply {
        let response = api.respondInline(
            to: HTTPRequest(method: method, path: path, headers: headers, query: query, body: Array((body ?? "").utf8)))
        return Reply(response)
    }
}

/// A response with its body parsed as JSON when it is JSON.
struct Reply {
    let status: Int
    let headers: [(name: String, value: String)]
    let body: [UInt8]
    let json: JSONValue?

    init(_ r: HTTPResponse) {
        status = r.status
        headers = r.headers
        body = r.body
        json = try? JSONParser().parse(r.body)
    }

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    var text: String { String(decoding: body, as: UTF8.self) }
    var errorCode: String? { json?["error"]?["code"]?.stringValue }

    subscript(_ key: String) -> JSONValue? { json?[key] }
}

/// Ports 22 for ops-tagged peers are allowed, everything else denied.
let sshPolicy = """
    {"version": 1, "default_verdict": "deny", "config": {"cycle": "1h", "max_peers": 50}, "rules": [
      {"name": "ops-ssh", "on": "connect", "match": "port == 22 && has_tag(peer_tags, 'ops')", "actions": [{"type": "allow"}]},
      {"name": "expire", "on": "cycle", "match": "true", "actions": [{"type": "fill", "params": {"count": 2}}]}
    ]}
    """

let openPolicy = """
    {"version": 1, "default_verdict": "allow", "rules": [
      {"name": "no-telnet", "on": "connect", "match": "port == 23", "actions": [{"type": "deny"}]}
    ]}
    """
