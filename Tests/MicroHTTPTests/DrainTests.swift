import Foundation
import HTTPTestClient
import MicroHTTP
import Testing

private let slow = ClosureResponder { request in
    if request.path == "/slow" { usleep(400_000) }
    return text(200, "done \(request.path)")
}

/// A thread-safe slot for one answer.
private final class Slot: @unchecked Sendable {
    private let lock = NSLock()
    private var value: String?
    func set(_ v: String?) { lock.withLock { value = v } }
    var get: String? { lock.withLock { value } }
}

@Suite("Drain on stop")
struct DrainTests {
    @Test func aConnectionOpenedBeforeTheStopGetsItsFirstRequestAnswered() throws {
        let server = HTTPServer(
            configuration: {
                var c = HTTPServerConfiguration(); c.port = 0; c.threads = 1; return c
            }(),
            responder: slow, logger: quietLogger)
        try server.start()
        let port = server.port
        // Accepted while the only thread is idle, but silent for now.
        let queued = try TestConnection(port: port, timeout: 10)
        usleep(100_000)
        let first = Slot()
        let done = DispatchGroup()
        done.enter()
        Thread {
            first.set(try? TestConnection(port: port, timeout: 10).exchange("GET", "/slow").text)
            done.leave()
        }.start()
        usleep(100_000)
        // The stop begins while /slow runs; the open connection starts its request only after
        // /slow has finished, when no request at all is in flight.
        try queued.send("GET /queued HTTP/1.1\r\nHost: x\r\n")
        done.enter()
        Thread {
            server.stop(drainTimeout: .seconds(5))
            done.leave()
        }.start()
        usleep(700_000)
        try queued.send("\r\n")
        #expect(try queued.readResponse().text == "done /queued")
        #expect(done.wait(timeout: .now() + 10) == .success)
        #expect(first.get == "done /slow")
    }

    @Test func afterCloseKeepAliveConnectionsNewConnectionsAreServedAndEveryResponseCloses() throws {
        let server = HTTPServer(
            configuration: {
                var c = HTTPServerConfiguration(); c.port = 0; return c
            }(), responder: slow, logger: quietLogger)
        try server.start()
        defer { server.stop(drainTimeout: .seconds(2)) }
        let open = try TestConnection(port: server.port)
        #expect(try open.exchange("GET", "/before").header("Connection")?.lowercased() != "close")
        server.closeKeepAliveConnections()
        let last = try open.exchange("GET", "/after")
        #expect(last.text == "done /after")
        #expect(last.header("Connection")?.lowercased() == "close")
        #expect(open.isClosedByServer())
        let fresh = try TestConnection(port: server.port).exchange("GET", "/fresh")
        #expect(fresh.text == "done /fresh")
        #expect(fresh.header("Connection")?.lowercased() == "close")
    }

    @Test func anIdleKeepAliveConnectionDoesNotHoldUpTheStop() throws {
        let server = HTTPServer(
            configuration: {
                var c = HTTPServerConfiguration(); c.port = 0; return c
            }(), responder: slow, logger: quietLogger)
        try server.start()
        let idle = try TestConnection(port: server.port)
        #expect(try idle.exchange("GET", "/fast").status == 200)
        let started = Date()
        server.stop(drainTimeout: .seconds(10))
        #expect(Date().timeIntervalSince(started) < 5)
    }
}
