import Dispatch
import HTTPTestClient
import MicroHTTP
import Synchronization
import Testing

/// A keep-alive connection's requests share one request context, reset between them, and a
/// responder may write its body into the storage of the connection's previous response
/// (`HTTPRequest.responseBuffer`). Each request must still see only its own body, every lent
/// buffer must arrive empty, and every response must carry its own bytes.
@Suite("Request contexts and buffers reused per connection")
struct PoolingTests {
    /// Never written: a body shared by every response that returns it.
    static let shared = Array("a constant body shared by many responses".utf8)

    /// `/echo`: "<n>:" and the body reversed, written into the lent buffer, reserved big enough
    /// for it (a buffer that had to grow is new storage, not kept); 500 if that buffer
    /// was not empty; `/twice`: two buffers taken, the second must be a new, empty one;
    /// `/shared`: the shared constant; `/worker`: the echo, answered on the worker thread.
    static let responder = ClosureResponder(workerPaths: ["/worker"]) { request in
        switch request.path {
        case "/echo", "/worker":
            var buffer = request.responseBuffer(capacity: request.body.count + 16)
            guard buffer.isEmpty else { return text(500, "lent buffer holds \(buffer.count) bytes") }
            buffer.append(contentsOf: "\(request.body.count):".utf8)
            buffer.append(contentsOf: request.body.reversed())
            return HTTPResponse(status: 200, body: buffer)
        case "/twice":
            var first = request.responseBuffer(capacity: 16)
            first.append(contentsOf: "first".utf8)
            let second = request.responseBuffer(capacity: 16)
            return text(second.isEmpty ? 200 : 500, String(decoding: first, as: UTF8.self) + "+\(second.count)")
        case "/capacity":
            let buffer = request.responseBuffer(capacity: 1)
            return text(200, "\(buffer.capacity)")
        case "/shared":
            return HTTPResponse(status: 200, body: shared)
        default:
            return text(404, "")
        }
    }

    static func body(size: Int, seed: Int) -> [UInt8] {
        (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ seed &* 7 &+ 1) }
    }

    static func expectedEcho(_ body: [UInt8]) -> [UInt8] {
        Array("\(body.count):".utf8) + body.reversed()
    }

    @Test func everyRequestOnAConnectionSeesOnlyItsOwnBodyAndAnEmptyBuffer() throws {
        // Long, short, empty, over the kept size (4096) and far over it, then short again:
        // a body or buffer kept without being emptied would show its old bytes.
        let sizes = [300, 5, 0, 4096, 4097, 70_000, 3, 1, 200_000, 2, 1000, 0, 17]
        try withServer(responder: Self.responder) { server in
            let c = try TestConnection(port: server.port, timeout: 10)
            for (i, size) in sizes.enumerated() {
                let body = Self.body(size: size, seed: i)
                let path = i % 4 == 3 ? "/worker" : "/echo"
                let response = try c.exchange("POST", path, body: body)
                #expect(response.status == 200, "request \(i): \(response.text.prefix(80))")
                #expect(response.body == Self.expectedEcho(body), "request \(i) (\(path), \(size) bytes)")
                if i % 3 == 0 {
                    #expect(try c.exchange("GET", "/shared").body == Self.shared)
                    #expect(try c.exchange("GET", "/twice").text == "first+0")
                }
            }
        }
    }

    @Test func pipelinedRequestsEachGetTheirOwnAnswer() throws {
        try withServer({ $0.threads = 1 }, responder: Self.responder) { server in
            let c = try TestConnection(port: server.port, timeout: 10)
            let bodies = (0..<40).map { Self.body(size: ($0 * 37) % 600, seed: $0) }
            var wire: [UInt8] = []
            for (i, body) in bodies.enumerated() {
                let path = i % 5 == 4 ? "/shared" : "/echo"
                wire += Array("POST \(path) HTTP/1.1\r\nHost: localhost\r\nContent-Length: \(body.count)\r\n\r\n".utf8) + body
            }
            try c.send(wire)
            for (i, body) in bodies.enumerated() {
                let response = try c.readResponse()
                #expect(response.body == (i % 5 == 4 ? Self.shared : Self.expectedEcho(body)), "request \(i)")
            }
        }
    }

    @Test func connectionsOnOneThreadNeverShareAContextOrBuffer() throws {
        let failures = Mutex<[String]>([])
        try withServer({ $0.threads = 1 }, responder: Self.responder) { server in
            DispatchQueue.concurrentPerform(iterations: 6) { connection in
                do {
                    let c = try TestConnection(port: server.port, timeout: 10)
                    for i in 0..<150 {
                        let body = Self.body(size: (i * 53 + connection * 11) % 900, seed: connection * 1000 + i)
                        let response = try c.exchange("POST", i % 25 == 7 ? "/worker" : "/echo", body: body)
                        if response.body != Self.expectedEcho(body) {
                            failures.withLock { $0.append("connection \(connection) request \(i): \(response.status)") }
                        }
                    }
                } catch {
                    failures.withLock { $0.append("connection \(connection): \(error)") }
                }
            }
        }
        #expect(failures.withLock { $0 } == [])
    }

    @Test func aConnectionsNextResponseBufferHasItsPreviousResponsesStorage() throws {
        try withServer(responder: Self.responder) { server in
            let c = try TestConnection(port: server.port)
            let body = Self.body(size: 1000, seed: 1)
            #expect(try c.exchange("POST", "/echo", body: body).body == Self.expectedEcho(body))
            // The 1005-byte answer's storage comes back, emptied, for the next request.
            let capacity = Int(try c.exchange("GET", "/capacity").text) ?? 0
            #expect(capacity >= 1005)
            // A request built without a server (tests, the worker's copy) gets a new buffer.
            #expect(HTTPRequest(method: "GET", path: "/").responseBuffer(capacity: 8).isEmpty)
        }
    }

    @Test func aBodyTooLargeStillAnswers413AndTheNextConnectionIsClean() throws {
        try withServer({ $0.maxBodyBytes = 1024 }, responder: Self.responder) { server in
            let c = try TestConnection(port: server.port)
            let small = Self.body(size: 100, seed: 3)
            #expect(try c.exchange("POST", "/echo", body: small).body == Self.expectedEcho(small))
            #expect(try c.exchange("POST", "/echo", body: Self.body(size: 2000, seed: 4)).status == 413)
            let d = try TestConnection(port: server.port)
            #expect(try d.exchange("POST", "/echo", body: small).body == Self.expectedEcho(small))
        }
    }
}
