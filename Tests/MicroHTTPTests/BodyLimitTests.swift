import HTTPTestClient
import MicroHTTP
import Testing

private let cap = 1_000
private let echoBody = ClosureResponder { request in HTTPResponse(status: 200, body: request.body) }
private func limited(_ configuration: inout HTTPServerConfiguration) { configuration.maxBodyBytes = cap }

@Suite("Body size limit")
struct BodyLimitTests {
    @Test func aBodyExactlyAtTheCapIsAccepted() throws {
        let body = [UInt8](repeating: 7, count: cap)
        try withServer(limited, responder: echoBody) { server in
            let response = try fetch(server.port, "POST", "/", body: body)
            #expect(response.status == 200)
            #expect(response.body == body)
        }
    }

    @Test func oneByteOverTheCapIsRejectedAfterOnlyTheHeaders() throws {
        try withServer(limited, responder: echoBody) { server in
            let connection = try TestConnection(port: server.port)
            // Headers only: the answer must come without the client sending a single body byte.
            try connection.send("PUT /v1/networks/1/policy HTTP/1.1\r\nHost: x\r\nContent-Length: \(cap + 1)\r\n\r\n")
            let response = try connection.readResponse()
            #expect(response.status == 413)
            #expect(response.text == "too large for \(cap): PUT /v1/networks/1/policy")
            #expect(response.header("Connection")?.lowercased() == "close")
            #expect(connection.isClosedByServer())
        }
    }

    @Test(arguments: ["POST", "PUT", "DELETE", "PATCH", "GET"])
    func anOversizedDeclaredBodyIsRejectedForAnyMethod(method: String) throws {
        try withServer(limited, responder: echoBody) { server in
            let connection = try TestConnection(port: server.port)
            try connection.send("\(method) /x HTTP/1.1\r\nHost: x\r\nContent-Length: \(cap + 1)\r\n\r\n")
            let response = try connection.readResponse()
            #expect(response.status == 413)
            #expect(connection.isClosedByServer())
        }
    }

    @Test func anOversizedBodyWithExpectContinueGets413Instead() throws {
        try withServer(limited, responder: echoBody) { server in
            let connection = try TestConnection(port: server.port)
            try connection.send(
                "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5000000\r\nExpect: 100-continue\r\n\r\n"
            )
            #expect(try connection.readResponse().status == 413)
        }
    }

    @Test func anAbsurdContentLengthIsRejected() throws {
        try withServer(limited, responder: echoBody) { server in
            let connection = try TestConnection(port: server.port)
            try connection.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n\r\n")
            let status = try connection.readResponse().status
            #expect(status == 413 || status == 400)
        }
    }

    @Test func aChunkedBodyGrowingPastTheCapGets413AndTheConnectionCloses() throws {
        try withServer(limited, responder: echoBody) { server in
            let connection = try TestConnection(port: server.port)
            let chunk = String(repeating: "a", count: 600)
            try connection.send("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
            for _ in 0..<3 { try connection.send("258\r\n\(chunk)\r\n") }
            try connection.send("0\r\n\r\n")
            let response = try connection.readResponse()
            #expect(response.status == 413)
            #expect(response.header("Connection")?.lowercased() == "close")
            #expect(connection.isClosedByServer())
        }
    }

    @Test func aSenderThatKeepsStreamingPastTheCapIsHungUpOn() throws {
        try withServer(limited, responder: echoBody) { server in
            let connection = try TestConnection(port: server.port)
            try connection.send("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
            let chunk = "3e8\r\n" + String(repeating: "z", count: 1000) + "\r\n"
            var sendFailed = false
            for _ in 0..<1_000 where !sendFailed {
                do { try connection.send(chunk) } catch { sendFailed = true }
            }
            // Either a send failed on the reset connection, or the server closed it without an answer.
            #expect(sendFailed || connection.isClosedByServer())
        }
    }

    @Test func aChunkedBodyAtTheCapIsAccepted() throws {
        try withServer(limited, responder: echoBody) { server in
            let connection = try TestConnection(port: server.port)
            let half = String(repeating: "b", count: cap / 2)
            try connection.send("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
            try connection.send("1f4\r\n\(half)\r\n1f4\r\n\(half)\r\n0\r\n\r\n")
            let response = try connection.readResponse()
            #expect(response.status == 200)
            #expect(response.body.count == cap)
        }
    }

    @Test func theConnectionKeepsWorkingAfterARequestWithinTheCap() throws {
        try withServer(limited, responder: echoBody) { server in
            let connection = try TestConnection(port: server.port)
            #expect(try connection.exchange("POST", "/", body: [1, 2, 3]).body == [1, 2, 3])
            #expect(try connection.exchange("POST", "/", body: [4]).body == [4])
        }
    }
}
