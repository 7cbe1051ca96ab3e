import Foundation
import HTTPTestClient
import MicroHTTP
import Synchronization
import Testing

/// `/wait` answers later: its completion is kept until the test completes it; everything else answers at once.
private final class WaitingResponder: HTTPResponder {
    let completions = Mutex<[HTTPResponseCompletion]>([])

    func respond(to request: HTTPRequest) -> HTTPAnswer {
        guard request.path == "/wait" else { return .now(text(200, "fast")) }
        let tag = request.query("tag") ?? "-"
        return .later(ifStopped: text(503, "stopped \(tag)")) { completion in
            self.completions.withLock { $0.append(completion) }
        }
    }

    func reject(_ rejection: HTTPRejection, method: String, path: String) -> HTTPResponse {
        HTTPResponse(status: 413)
    }

    var waiting: Int { completions.withLock { $0.count } }

    /// Answers every waiting request from another thread, once each (a second call is ignored).
    func completeAll(_ body: String) {
        let all = completions.withLock { c in
            defer { c.removeAll() }
            return c
        }
        let done = DispatchSemaphore(value: 0)
        Thread {
            for c in all {
                c.complete(text(200, body))
                c.complete(text(500, "twice"))
            }
            done.signal()
        }.start()
        done.wait()
    }
}

/// Polls every 10 ms until `condition` holds, at most 10 s.
private func eventually(_ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(10)
    while Date() < deadline {
        if condition() { return true }
        Thread.sleep(forTimeInterval: 0.01)
    }
    return condition()
}

@Suite("Requests answered later")
struct DeferredTests {
    @Test func manyWaitingRequestsHoldNoThreadAndAreAnsweredWhenCompleted() throws {
        let responder = WaitingResponder()
        // One polling thread, and more waiters than any worker pool: none of them holds a thread.
        try withServer({ $0.threads = 1 }, responder: responder) { server in
            let waiters = try (0..<40).map { i in
                let c = try TestConnection(port: server.port)
                try c.sendRequest("GET", "/wait?tag=\(i)")
                return c
            }
            #expect(eventually { responder.waiting == 40 })
            #expect(try fetch(server.port, "GET", "/fast").text == "fast")
            responder.completeAll("done")
            for c in waiters {
                let answer = try c.readResponse()
                #expect(answer.status == 200)
                #expect(answer.text == "done")
                // Still keep-alive: the same connection serves the next request.
                #expect(try c.exchange("GET", "/fast").text == "fast")
            }
        }
    }

    @Test func stoppingAnswersWaitingRequestsWithTheirFallbackAtOnce() throws {
        let responder = WaitingResponder()
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        configuration.threads = 2
        let server = HTTPServer(configuration: configuration, responder: responder, logger: quietLogger)
        try server.start()
        let c = try TestConnection(port: server.port)
        try c.sendRequest("GET", "/wait?tag=7")
        #expect(eventually { responder.waiting == 1 })
        let stopped = DispatchSemaphore(value: 0)
        Thread {
            server.stop(drainTimeout: .seconds(30))
            stopped.signal()
        }.start()
        let answer = try c.readResponse()
        #expect(answer.status == 503)
        #expect(answer.text == "stopped 7")
        // The drain did not wait for the waiter (nor for 30 s).
        #expect(stopped.wait(timeout: .now() + 10) == .success)
        responder.completeAll("too late")  // ignored: already answered
    }
}
