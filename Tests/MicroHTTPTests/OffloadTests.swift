import Foundation
import HTTPTestClient
import MicroHTTP
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Blocks `/slow` on a worker thread until the test opens the gate; everything else answers at
/// once. Counts each call of `respond` and of the worker work, with the threads they ran on.
private final class GatedResponder: HTTPResponder {
    let gate = DispatchSemaphore(value: 0)
    let calls = Mutex<(respond: [String], work: [String], respondThreads: [UInt], workThreads: [UInt])>(([], [], [], []))

    func respond(to request: HTTPRequest) -> HTTPAnswer {
        calls.withLock {
            $0.respond.append(request.path); $0.respondThreads.append(Self.thread)
        }
        guard request.path == "/slow" else { return .now(Self.describe(request)) }
        return .onWorkerThread { [self] request in
            calls.withLock {
                $0.work.append(request.path); $0.workThreads.append(Self.thread)
            }
            gate.wait()
            return Self.describe(request)
        }
    }

    private static var thread: UInt { UInt(pthread_self()) }

    private static func describe(_ request: HTTPRequest) -> HTTPResponse {
        let seen = [
            request.method, request.path, request.header("x-probe") ?? "-", request.query("q") ?? "-",
            request.remoteAddress ?? "-", String(decoding: request.body, as: UTF8.self),
        ]
        return text(200, seen.joined(separator: " "))
    }

    func reject(_ rejection: HTTPRejection, method: String, path: String) -> HTTPResponse {
        HTTPResponse(status: 413)
    }
}

@Suite("Requests that may block")
struct OffloadTests {
    @Test func aBlockingRequestDoesNotHoldUpOtherConnectionsOfItsThread() throws {
        let responder = GatedResponder()
        try withServer({ $0.threads = 1 }, responder: responder) { server in
            let slow = try TestConnection(port: server.port)
            try slow.sendRequest("POST", "/slow?q=1", headers: ["X-Probe: yes", "Content-Type: text/plain"], body: Array("hi".utf8))
            // One polling thread: without the offload this request would wait behind /slow.
            let fast = try TestConnection(port: server.port)
            try fast.sendRequest("GET", "/fast")
            #expect(try fast.readResponse().text == "GET /fast - - 127.0.0.1 ")
            responder.gate.signal()
            let answer = try slow.readResponse()
            #expect(answer.status == 200)
            // Headers, query, address and body were all copied before the handler ran elsewhere.
            #expect(answer.text == "POST /slow yes 1 127.0.0.1 hi")
        }
    }

    @Test func anOffloadedAnswerKeepsTheConnectionAlive() throws {
        let responder = GatedResponder()
        try withServer(responder: responder) { server in
            let c = try TestConnection(port: server.port)
            for round in 0..<3 {
                responder.gate.signal()
                try c.sendRequest("PUT", "/slow?q=\(round)")
                let answer = try c.readResponse()
                #expect(answer.status == 200)
                #expect(answer.text == "PUT /slow - \(round) 127.0.0.1 ")
                #expect(answer.header("Connection")?.lowercased() != "close")
            }
        }
    }

    @Test func aBlockingRequestIsAskedOnceAndRunsOnceOnAWorkerThreadAnInlineOneOnceWhereItArrived() throws {
        let responder = GatedResponder()
        try withServer({ $0.threads = 1 }, responder: responder) { server in
            let c = try TestConnection(port: server.port)
            responder.gate.signal()
            try c.sendRequest("PUT", "/slow")
            #expect(try c.readResponse().status == 200)
            try c.sendRequest("GET", "/fast")
            #expect(try c.readResponse().status == 200)
        }
        let calls = responder.calls.withLock { $0 }
        // Each request asked the responder exactly once; only /slow's work ran, once.
        #expect(calls.respond == ["/slow", "/fast"])
        #expect(calls.work == ["/slow"])
        // One polling thread asked both; the work ran elsewhere.
        #expect(Set(calls.respondThreads).count == 1)
        #expect(calls.workThreads.count == 1 && !calls.respondThreads.contains(calls.workThreads[0]))
    }
}
