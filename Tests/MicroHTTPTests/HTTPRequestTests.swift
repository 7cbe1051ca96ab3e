import HTTPTestClient
import Testing

@testable import MicroHTTP

@Suite("HTTPRequest values")
struct HTTPRequestTests {
    @Test func aRequestBuiltForTestsAnswersItsOwnHeadersAndQuery() {
        let request = HTTPRequest(
            method: "PUT",
            path: "/v1/networks/7/policy",
            headers: [("If-Match", "\"abc\""), ("Content-Type", "application/json")],
            query: [("force", "true")],
            body: [1, 2],
            remoteAddress: "10.0.0.1"
        )
        #expect(request.header("if-match") == "\"abc\"")
        #expect(request.header("CONTENT-TYPE") == "application/json")
        #expect(request.header("Accept") == nil)
        #expect(request.header("content-type", is: "application/json"))
        #expect(!request.header("Content-Type", is: "application/jso"))
        #expect(!request.header("Accept", is: ""))
        #expect(request.query("force") == "true")
        #expect(request.query("Force") == nil)
        #expect(request.remoteAddress == "10.0.0.1")
        #expect(request.httpVersion == "HTTP/1.1")
    }

    @Test func aServerRequestAnswersNothingOnceItsHandlerReturned() {
        // The context's connection is cleared when the handler returns; lookups then find nothing.
        let request = HTTPRequest(method: "GET", path: "/", body: [], httpVersion: "HTTP/1.1", context: RequestContext())
        #expect(request.header("Host") == nil)
        #expect(!request.header("Host", is: ""))
        #expect(request.query("x") == nil)
        #expect(request.remoteAddress == nil)
    }

    @Test func pathParametersBuiltForTestsAnswerByName() {
        let parameters = PathParameters([("id", "7")])
        #expect(parameters["id"] == "7")
        #expect(parameters["other"] == nil)
    }
}
