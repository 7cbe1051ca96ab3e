import HTTPTestClient
import MicroHTTP
import Testing

/// What a request looked like to the responder, echoed back as lines of text.
private let echo = ClosureResponder { request in
    let lines = [
        "method=\(request.method)",
        "path=\(request.path)",
        "version=\(request.httpVersion)",
        "remote=\(request.remoteAddress ?? "-")",
        "x-custom=\(request.header("x-CUSTOM") ?? "-")",
        "missing=\(request.header("X-Missing") ?? "-")",
        "is=\(request.header("x-custom", is: "hello there")) \(request.header("X-Custom", is: "hello")) \(request.header("X-Missing", is: ""))",
        "name=\(request.query("name") ?? "-")",
        "flag=\(request.query("flag") ?? "-")",
        "body=\(String(decoding: request.body, as: UTF8.self))",
    ]
    return text(200, lines.joined(separator: "\n"))
}

private var routing: RoutingResponder {
    var router = Router<RoutingResponder.Handler>()
    router.add("GET", "/hello") { _, _ in text(200, "hello world") }
    router.add("GET", "/v1/networks/{id}/runner") { _, parameters in text(200, "runner \(parameters["id"] ?? "?")") }
    router.add("PUT", "/v1/networks/{id}/policy") { request, parameters in
        text(201, "stored \(request.body.count) bytes for \(parameters["id"] ?? "?")")
    }
    router.add("POST", "/echo") { request, _ in HTTPResponse(status: 200, body: request.body) }
    return RoutingResponder(router: router)
}

@Suite("Requests over real sockets")
struct ServerRequestTests {
    @Test func theResponderSeesMethodPathVersionAddressHeadersQueryAndBody() throws {
        try withServer(responder: echo) { server in
            let response = try fetch(
                server.port, "POST", "/some/path?name=a%20b&flag",
                headers: ["X-Custom: hello there"], body: Array("payload".utf8)
            )
            #expect(response.status == 200)
            #expect(
                response.text == """
                    method=POST
                    path=/some/path
                    version=HTTP/1.1
                    remote=127.0.0.1
                    x-custom=hello there
                    missing=-
                    is=true false false
                    name=a b
                    flag=
                    body=payload
                    """
            )
        }
    }

    @Test func everyQueryItemAndEveryLineOfAHeaderAreListedInOrder() throws {
        let lister = ClosureResponder { request in
            let query = request.queryItems.map { "\($0.name)=\($0.value.map { "'\($0)'" } ?? "nil")" }
            let lines = request.headerValues("if-match").map { "'\($0)'" }
            return text(200, (query + ["--"] + lines).joined(separator: "\n"))
        }
        try withServer(responder: lister) { server in
            // libmicrohttpd drops the white space before a header value, not after it.
            let response = try fetch(
                server.port, "GET", "/x?force&force=&a=1&a=%32&%66lag=on",
                headers: [#"If-Match: "a""#, "X-Other: 1", #"if-match:   W/"b"  "#, "If-Match:"])
            #expect(
                response.text == """
                    force=nil
                    force=''
                    a='1'
                    a='2'
                    flag='on'
                    --
                    '"a"'
                    'W/"b"  '
                    ''
                    """
            )
            #expect(try fetch(server.port, "GET", "/x").text == "--")
        }
    }

    @Test func routesAnswerFoundNotFoundAndMethodNotAllowed() throws {
        try withServer(responder: routing) { server in
            let hello = try fetch(server.port, "GET", "/hello")
            #expect(hello.status == 200)
            #expect(hello.text == "hello world")
            #expect(hello.header("Content-Type") == "text/plain")
            #expect(try fetch(server.port, "GET", "/nope").status == 404)
            let notAllowed = try fetch(server.port, "DELETE", "/hello")
            #expect(notAllowed.status == 405)
            #expect(notAllowed.header("Allow") == "GET, HEAD")
        }
    }

    @Test func pathParametersReachTheHandler() throws {
        try withServer(responder: routing) { server in
            #expect(try fetch(server.port, "GET", "/v1/networks/7/runner").text == "runner 7")
            let put = try fetch(server.port, "PUT", "/v1/networks/12/policy", body: Array("{}".utf8))
            #expect(put.status == 201)
            #expect(put.text == "stored 2 bytes for 12")
        }
    }

    @Test func aPostBodyIsEchoedByteForByte() throws {
        let body = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try withServer(responder: routing) { server in
            let response = try fetch(server.port, "POST", "/echo", body: body)
            #expect(response.status == 200)
            #expect(response.body == body)
        }
    }

    @Test func noContentTypeIsSentUnlessTheResponderGivesOne() throws {
        let responder = ClosureResponder { _ in HTTPResponse(status: 200, body: Array("x".utf8)) }
        try withServer(responder: responder) { server in
            let response = try fetch(server.port, "GET", "/")
            #expect(response.header("Content-Type") == nil)
            #expect(response.header("Content-Length") == "1")
        }
    }

    @Test func responseHeadersAreSentInOrderAndContentLengthIsTheServers() throws {
        let responder = ClosureResponder { _ in
            HTTPResponse(
                status: 201,
                headers: [("ETag", "\"abc\""), ("X-Twice", "1"), ("X-Twice", "2"), ("Content-Length", "999")],
                body: Array("12345".utf8)
            )
        }
        try withServer(responder: responder) { server in
            let response = try fetch(server.port, "PUT", "/x")
            #expect(response.status == 201)
            #expect(response.header("ETag") == "\"abc\"")
            #expect(response.headers.filter { $0.name == "X-Twice" }.map(\.value) == ["1", "2"])
            #expect(response.header("Content-Length") == "5")
            #expect(response.text == "12345")
        }
    }

    @Test func aResponseLibmicrohttpdCannotSendBecomesA500() throws {
        let responder = ClosureResponder { request in
            request.path == "/bad-header"
                ? HTTPResponse(status: 200, headers: [("X-Bad", "line\r\nbreak")], body: [1])
                : HTTPResponse(status: 42)
        }
        try withServer(responder: responder) { server in
            let badHeader = try fetch(server.port, "GET", "/bad-header")
            let badStatus = try fetch(server.port, "GET", "/bad-status")
            #expect(badHeader.status == 500)
            #expect(badStatus.status == 500)
        }
    }

    @Test func headSendsTheHeadersOfGetWithoutTheBody() throws {
        try withServer(responder: routing) { server in
            let connection = try TestConnection(port: server.port)
            let head = try connection.exchange("HEAD", "/hello")
            #expect(head.status == 200)
            #expect(head.header("Content-Length") == "11")
            #expect(head.body.isEmpty)
            #expect(connection.unexpectedBytes(waiting: 100) == 0)
            // The connection is still in step: the next response parses.
            #expect(try connection.exchange("GET", "/hello").text == "hello world")
        }
    }

    @Test func keepAliveServesSeveralRequestsOnOneConnection() throws {
        try withServer(responder: routing) { server in
            let connection = try TestConnection(port: server.port)
            for id in 1...3 {
                let response = try connection.exchange("GET", "/v1/networks/\(id)/runner")
                #expect(response.text == "runner \(id)")
                #expect(response.header("Connection")?.lowercased() != "close")
            }
            let post = try connection.exchange("POST", "/echo", body: Array("again".utf8))
            #expect(post.text == "again")
            #expect(post.header("Connection")?.lowercased() != "close")
        }
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() throws {
        try withServer(responder: routing) { server in
            let connection = try TestConnection(port: server.port)
            try connection.send(
                "GET /v1/networks/1/runner HTTP/1.1\r\nHost: x\r\n\r\nGET /v1/networks/2/runner HTTP/1.1\r\nHost: x\r\n\r\n"
            )
            #expect(try connection.readResponse().text == "runner 1")
            #expect(try connection.readResponse().text == "runner 2")
        }
    }

    @Test func expectContinueGetsA100ThenTheAnswer() throws {
        try withServer(responder: routing) { server in
            let connection = try TestConnection(port: server.port)
            try connection.send(
                "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n"
            )
            #expect(try connection.readResponse().status == 100)
            try connection.send("hello")
            let response = try connection.readResponse()
            #expect(response.status == 200)
            #expect(response.text == "hello")
        }
    }

    @Test func aChunkedBodyIsReassembled() throws {
        try withServer(responder: routing) { server in
            let connection = try TestConnection(port: server.port)
            try connection.send(
                "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
            )
            #expect(try connection.readResponse().text == "hello world")
        }
    }
}
