import Dispatch
import HTTPTestClient
import MicroHTTP
import Synchronization
import Testing

/// The per-request shortcuts of the server: method, version and path Strings reused instead of
/// built (ASCII.string, ConnectionState.lastPath) and response bodies sent from the responder's
/// own array without a copy (RequestContext.sentBody). Each must still give every request its own
/// values, and every byte of every body.
@Suite("Reused strings and uncopied bodies")
struct ReuseTests {
    private static let echo = ClosureResponder { request in
        text(200, "\(request.method) \(request.path) \(request.httpVersion)")
    }

    @Test func everyRequestOnAConnectionSeesItsOwnMethodPathAndVersion() throws {
        let requests: [(method: String, target: String, path: String)] = [
            ("GET", "/v1/networks/1/runner", "/v1/networks/1/runner"),
            ("GET", "/v1/networks/1/runner", "/v1/networks/1/runner"),
            ("GET", "/v1/networks/2/runner", "/v1/networks/2/runner"),  // same length, one byte differs
            ("GET", "/v1/networks/1/runne", "/v1/networks/1/runne"),  // a prefix of the last
            ("GET", "/v1/networks/1/runnerx", "/v1/networks/1/runnerx"),  // longer by one
            ("POST", "/v1/networks/1/runnerx", "/v1/networks/1/runnerx"),
            ("PUT", "/", "/"),
            ("DELETE", "/a", "/a"),
            ("OPTIONS", "/a", "/a"),
            ("PATCH", "/a", "/a"),
            ("GETS", "/a", "/a"),  // a common method's bytes and more
            ("BREW", "/pot", "/pot"),
            ("GET", "/%C3%A9t%C3%A9", "/été"),
            ("GET", "/%FF", "/\u{FFFD}"),  // not UTF-8: repaired, and never equal to the remembered path
            ("GET", "/%FF", "/\u{FFFD}"),
            ("GET", "/v1/networks/1/runner", "/v1/networks/1/runner"),
        ]
        try withServer(responder: Self.echo) { server in
            let c = try TestConnection(port: server.port)
            for r in requests {
                let response = try c.exchange(r.method, r.target)
                #expect(response.status == 200)
                #expect(response.text == "\(r.method) \(r.path) HTTP/1.1")
            }
            let head = try c.exchange("HEAD", "/v1/networks/1/runner")
            #expect(head.status == 200)
            #expect(head.header("Content-Length") == "\("HEAD /v1/networks/1/runner HTTP/1.1".utf8.count)")
            // HTTP/1.0 last: it closes the connection after the answer.
            try c.send("GET /v1/networks/1/runner HTTP/1.0\r\nHost: localhost\r\n\r\n")
            #expect(try c.readResponse().text == "GET /v1/networks/1/runner HTTP/1.0")
        }
    }

    @Test func connectionsDoNotShareTheirRememberedPath() throws {
        try withServer({ $0.threads = 1 }, responder: Self.echo) { server in
            let a = try TestConnection(port: server.port)
            let b = try TestConnection(port: server.port)
            for i in 0..<20 {
                #expect(try a.exchange("GET", "/networks/a/\(i % 3)").text == "GET /networks/a/\(i % 3) HTTP/1.1")
                #expect(try b.exchange("GET", "/networks/b/\(i % 2)").text == "GET /networks/b/\(i % 2) HTTP/1.1")
            }
        }
    }

    /// Bodies far larger than the socket buffers are sent over many writes after the handler
    /// returned, while other connections' handlers allocate: a body freed or reused too early
    /// would arrive with foreign bytes.
    @Test func largeBodiesArriveIntactOnManyConnectionsAtOnce() throws {
        let responder = ClosureResponder { request in
            // /body/<size>/<seed>
            let parts = request.path.split(separator: "/")
            let size = Int(parts[1]) ?? 0
            let seed = UInt8(parts[2]) ?? 0
            return HTTPResponse(status: 200, body: Self.pattern(size: size, seed: seed))
        }
        let sizes = [0, 1, 316, 70_000, 1_500_000]
        let failures = Mutex<[String]>([])
        try withServer(responder: responder) { server in
            DispatchQueue.concurrentPerform(iterations: 6) { connection in
                do {
                    let c = try TestConnection(port: server.port, timeout: 30)
                    for round in 0..<3 {
                        for size in sizes {
                            let seed = UInt8(truncatingIfNeeded: connection * 31 + round * 7 + size)
                            let response = try c.exchange("GET", "/body/\(size)/\(seed)")
                            if response.status != 200 || response.body != Self.pattern(size: size, seed: seed) {
                                failures.withLock { $0.append("connection \(connection) size \(size) seed \(seed)") }
                            }
                        }
                    }
                } catch {
                    failures.withLock { $0.append("connection \(connection): \(error)") }
                }
            }
        }
        #expect(failures.withLock { $0 } == [])
    }

    private static func pattern(size: Int, seed: UInt8) -> [UInt8] {
        (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ Int(seed)) }
    }
}
