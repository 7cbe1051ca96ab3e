import Foundation
import Logging
import MicroHTTP
import PolicyAPI
import PolicyService

/// The API's own work per request, without sockets: `PolicyAPI.respond(to:)` for the runner
/// status and for decisions (the suite's 10 rotating bodies against realistic-10.json), as
/// libmicrohttpd's threads call it. What is left of a request's cost once the kernel and
/// libmicrohttpd are taken away, and steady enough to compare two builds (`policyd-bench api`).
func apiPathBenchmark(policy: String, rounds: Int = 7, perRound: Int = 200_000) {
    let dir = ScratchDirectory(parent: NSTemporaryDirectory(), name: "api")
    defer { dir.remove() }
    let service = makeService(directory: dir.path)
    var logger = Logger(label: "policyd-bench")
    logger.logLevel = .warning
    let api = PolicyAPI(service: service, logger: logger)
    service.loadStored()
    api.markReady()
    guard let document = FileManager.default.contents(atPath: policy) else { fatalError("cannot read \(policy)") }
    let put = api.respondInline(
        to: HTTPRequest(
            method: "PUT", path: "/v1/networks/1/policy", headers: [("Content-Type", "application/json")], body: Array(document)))
    guard put.status == 201 else { fatalError("PUT answered \(put.status)") }

    let bodies = [
        #"{"event":"connect","peer_id":42,"port":22,"peer_tags":["ops","eu-west"]}"#,
        #"{"event":"connect","peer_id":43,"port":443,"peer_tags":["web","eu-west"]}"#,
        #"{"event":"connect","peer_id":44,"port":22,"peer_tags":["dev"]}"#,
        #"{"event":"connect","peer_id":45,"port":5432,"peer_tags":["app","db-client"]}"#,
        #"{"event":"connect","peer_id":46,"port":60000,"peer_tags":["dev","eu-west"]}"#,
        #"{"event":"connect","peer_id":47,"port":9100,"peer_tags":["monitoring"]}"#,
        #"{"event":"dial","peer_id":48,"port":53,"local_tags":["edge"]}"#,
        #"{"event":"datagram","peer_id":49,"size":1500,"direction":"in","sender_rating":0.7,"peer_tags":["web"]}"#,
        #"{"event":"connect","peer_id":50,"port":25,"peer_tags":["mail"]}"#,
        #"{"event":"connect","peer_id":51,"port":7000,"peer_tags":["banned","ops"]}"#,
    ].map { Array($0.utf8) }
    let headers = [(name: "Content-Type", value: "application/json")]
    let decisions = bodies.map {
        HTTPRequest(method: "POST", path: "/v1/networks/1/decisions", headers: headers, body: $0)
    }
    let status = HTTPRequest(method: "GET", path: "/v1/networks/1/runner")

    func measure(_ name: String, _ request: (Int) -> HTTPRequest) {
        var times: [Double] = []
        var bytes = 0
        for _ in 0..<rounds {
            let start = cpuNanoseconds()
            for i in 0..<perRound {
                let response = api.respondInline(to: request(i))
                bytes &+= response.body.count
                if response.status != 200 { fatalError("\(name) answered \(response.status)") }
            }
            times.append((cpuNanoseconds() - start) / Double(perRound))
        }
        let sorted = times.sorted()
        print(
            "\(name): median \(format(median(times))) ns CPU per request, min \(format(sorted[0])), "
                + "max \(format(sorted[sorted.count - 1])) (\(rounds) rounds of \(perRound), \(bytes / (rounds * perRound)) body bytes)")
    }
    print("PolicyAPI.respond(to:), no sockets, one thread:")
    measure("GET /v1/networks/1/runner") { _ in status }
    measure("POST /v1/networks/1/decisions") { decisions[$0 % decisions.count] }
}
