import Dispatch
import Foundation
import HTTPTestClient
import MicroHTTP
import Synchronization
import Testing

private let slowAndFast = ClosureResponder { request in
    if request.path == "/slow" { usleep(300_000) }
    return text(200, "done \(request.path)")
}

@Suite("Server lifecycle")
struct ServerLifecycleTests {
    @Test func portZeroReportsTheRealBoundPort() throws {
        try withServer(responder: slowAndFast) { server in
            let response = try fetch(server.port, "GET", "/fast")
            #expect(server.port > 0)
            #expect(response.text == "done /fast")
        }
    }

    @Test func startingOnAPortInUseThrowsAClearError() throws {
        try withServer(responder: slowAndFast) { first in
            var configuration = HTTPServerConfiguration()
            configuration.port = first.port
            let second = HTTPServer(configuration: configuration, responder: slowAndFast, logger: quietLogger)
            let error = #expect(throws: HTTPServerError.self) { try second.start() }
            guard case .startFailed(_, let port, let reason)? = error else {
                Issue.record("expected startFailed, got \(String(describing: error))")
                return
            }
            #expect(port == first.port)
            #expect(reason.contains("in use"), "reason: \(reason)")
            #expect(error?.description.contains("127.0.0.1:\(first.port)") == true)
        }
    }

    @Test func anInvalidHostOrConfigurationIsRejectedBeforeBinding() {
        var configuration = HTTPServerConfiguration()
        configuration.host = "not-an-address"
        #expect(throws: HTTPServerError.invalidHost("not-an-address")) {
            try HTTPServer(configuration: configuration, responder: slowAndFast, logger: quietLogger).start()
        }
        configuration = HTTPServerConfiguration()
        configuration.tlsKeyPEM = "only a key"
        #expect(throws: HTTPServerError.self) {
            try HTTPServer(configuration: configuration, responder: slowAndFast, logger: quietLogger).start()
        }
    }

    @Test func aServerStartsOnlyOnce() throws {
        try withServer(responder: slowAndFast) { server in
            #expect(throws: HTTPServerError.alreadyStarted) { try server.start() }
        }
    }

    @Test func listensOnIPv6Loopback() throws {
        try withServer({ $0.host = "::1" }, responder: ClosureResponder { text(200, $0.remoteAddress ?? "-") }) { server in
            let (status, output) = try run("/usr/bin/curl", ["-s", "-g", "http://[::1]:\(server.port)/"])
            #expect(status == 0)
            #expect(output == "::1")
        }
    }

    @Test func theIPv6AnyAddressAlsoServesIPv4Clients() throws {
        try withServer({ $0.host = "::" }, responder: ClosureResponder { text(200, $0.remoteAddress ?? "-") }) { server in
            let response = try fetch(server.port, "GET", "/")
            #expect(response.text == "127.0.0.1")
        }
    }

    @Test func stopLetsARequestInFlightFinish() throws {
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        let server = HTTPServer(configuration: configuration, responder: slowAndFast, logger: quietLogger)
        try server.start()
        let port = server.port
        let result = Mutex<Result<String, any Error>?>(nil)
        let finished = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            let outcome = Result { try fetch(port, "GET", "/slow").text }
            result.withLock { $0 = outcome }
            finished.signal()
        }
        let deadline = ContinuousClock.now + .seconds(5)
        while server.activeRequests == 0, ContinuousClock.now < deadline { usleep(1_000) }
        #expect(server.activeRequests == 1)

        let started = ContinuousClock.now
        server.stop(drainTimeout: .seconds(5))
        let stopping = ContinuousClock.now - started
        finished.wait()
        #expect(try result.withLock { try $0?.get() } == "done /slow")
        #expect(stopping >= .milliseconds(100), "stop returned before the request finished")
        #expect(stopping < .seconds(3))
        #expect(server.activeRequests == 0)
        #expect(throws: (any Error).self) { try fetch(port, "GET", "/fast") }
        server.stop(drainTimeout: .seconds(1))  // idempotent
    }

    @Test func stopGivesUpAfterTheDrainTimeout() throws {
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        let server = HTTPServer(configuration: configuration, responder: slowAndFast, logger: quietLogger)
        try server.start()
        // A connection that never sends its request holds the drain until its timeout (30 s):
        // a drain that ignored its own timeout would keep stop waiting that long.
        let silent = try TestConnection(port: server.port)
        usleep(200_000)  // accepted by then
        let started = ContinuousClock.now
        server.stop(drainTimeout: .milliseconds(50))
        #expect(ContinuousClock.now - started < .seconds(1))
        #expect(silent.isClosedByServer())
    }

    @Test func quiesceStopsNewConnectionsButServesOpenOnes() throws {
        try withServer(responder: slowAndFast) { server in
            let open = try TestConnection(port: server.port)
            #expect(try open.exchange("GET", "/before").text == "done /before")
            server.quiesce()
            let after = try open.exchange("GET", "/after")
            #expect(after.text == "done /after")
            #expect(after.header("Connection")?.lowercased() == "close")
            // The listening socket is shut down: new connections are refused outright.
            #expect((try? TestConnection(port: server.port, timeout: 0.3)) == nil)
        }
    }

    @Test func thePerIPConnectionLimitTurnsAwayExtraConnections() throws {
        try withServer({ $0.perIPConnectionLimit = 1 }, responder: slowAndFast) { server in
            let first = try TestConnection(port: server.port)
            #expect(try first.exchange("GET", "/one").status == 200)
            let second = try TestConnection(port: server.port, timeout: 2)
            #expect((try? second.exchange("GET", "/two")) == nil)
            #expect(second.isClosedByServer())
            #expect(try first.exchange("GET", "/three").status == 200)
        }
    }

    @Test func anIdleConnectionIsClosedAfterTheTimeout() throws {
        try withServer({ $0.connectionTimeoutSeconds = 1 }, responder: slowAndFast) { server in
            let connection = try TestConnection(port: server.port, timeout: 10)
            #expect(try connection.exchange("GET", "/").status == 200)
            let started = ContinuousClock.now
            #expect(connection.isClosedByServer())
            // Generous: the machine may be busy with other tests; the point is that it is closed.
            #expect(ContinuousClock.now - started < .seconds(8))
        }
    }

    @Test func concurrentRequestsFromSeveralThreadsAreAllAnswered() throws {
        let counter = Atomic<Int>(0)
        let responder = ClosureResponder { request in
            counter.add(1, ordering: .relaxed)
            return HTTPResponse(status: 200, body: request.body + Array(request.path.utf8))
        }
        try withServer({ $0.threads = 4 }, responder: responder) { server in
            let failures = Mutex<[String]>([])
            DispatchQueue.concurrentPerform(iterations: 8) { worker in
                do {
                    let connection = try TestConnection(port: server.port)
                    for index in 0..<50 {
                        let body = Array("w\(worker)i\(index)".utf8)
                        let response = try connection.exchange("POST", "/p\(index)", body: body)
                        if response.body != body + Array("/p\(index)".utf8) {
                            failures.withLock { $0.append("worker \(worker) request \(index): \(response.text)") }
                        }
                    }
                } catch {
                    failures.withLock { $0.append("worker \(worker): \(error)") }
                }
            }
            #expect(failures.withLock { $0 } == [])
            #expect(counter.load(ordering: .relaxed) == 400)
        }
    }
}
