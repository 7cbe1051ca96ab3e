import Foundation
import HTTPTestClient
import MicroHTTP
import Testing

private let hello = ClosureResponder { request in text(200, "hello \(request.path)") }

@Suite("Header deadline")
struct HeaderTimeoutTests {
    @Test func aConnectionTricklingItsHeadersIsCutOffAtTheDeadline() throws {
        try withServer(
            {
                $0.headerTimeoutSeconds = 1; $0.connectionTimeoutSeconds = 30
            }, responder: hello
        ) { server in
            let slow = try TestConnection(port: server.port, timeout: 10)
            let started = Date()
            var cutOff = false
            // Never silent for long, so the idle timeout alone would never close it.
            for byte in Array("GET /slow HTTP/1.1\r\nHost: x\r\nX-Padding: ".utf8) + Array(repeating: UInt8(ascii: "a"), count: 200) {
                if (try? slow.send([byte])) == nil { cutOff = true; break }
                usleep(50_000)
                if Date().timeIntervalSince(started) > 8 { break }
            }
            #expect(cutOff || slow.isClosedByServer(), "still open after trickling for 8 s")
            #expect(Date().timeIntervalSince(started) < 8)
            #expect(try fetch(server.port, "GET", "/other").text == "hello /other")
        }
    }

    @Test func aKeepAliveConnectionMayIdleBetweenRequestsPastTheDeadline() throws {
        try withServer(
            {
                $0.headerTimeoutSeconds = 1; $0.connectionTimeoutSeconds = 30
            }, responder: hello
        ) { server in
            let c = try TestConnection(port: server.port, timeout: 10)
            #expect(try c.exchange("GET", "/one").status == 200)
            usleep(1_800_000)
            #expect(try c.exchange("GET", "/two").text == "hello /two")
        }
    }
}
