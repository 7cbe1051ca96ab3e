import Foundation
import Logging
import MicroHTTP
import PolicyAPI
import PolicyLanguage
import PolicyService
import Testing

private let adminToken = "admin-token-aaaaaaaaaaaaaaaa"
private let readerToken = "reader-token-bbbbbbbbbbbbbbbb"
private let tokensFile = """
    # operators
    admin \(adminToken)

    reader \(readerToken)
    """

/// Bearer tokens: 401 without or with an unknown token, 403 for a reader that writes,
/// health endpoints always open.
@Suite struct AuthTests {
    /// The API with tokens, over the service of an `APIFixture` (kept alive with it).
    final class Fixture {
        let base: APIFixture
        let api: PolicyAPI

        init() throws {
            base = try APIFixture()
            let logger = Logger(label: "auth-test") { _ in SwiftLogNoOpLogHandler() }
            api = PolicyAPI(service: base.api.service, tokens: try AccessTokens(parsing: tokensFile), logger: logger)
            api.markReady()
        }
    }

    private func call(_ api: PolicyAPI, _ method: String, _ path: String, token: String?, body: String = "") -> Reply {
        let headers = token.map { [(name: "Authorization", value: "Bearer \($0)")] } ?? []
        return Reply(api.respondInline(to: HTTPRequest(method: method, path: path, headers: headers, body: Array(body.utf8))))
    }

    @Test func theTokensFileSkipsCommentsAndBlankLines() throws {
        let tokens = try AccessTokens(parsing: tokensFile)
        #expect(tokens.count(.admin) == 1)
        #expect(tokens.count(.reader) == 1)
        #expect(tokens.role(of: adminToken) == .admin)
        #expect(tokens.role(of: readerToken) == .reader)
        #expect(tokens.role(of: adminToken + "x") == nil)
        #expect(tokens.role(of: "") == nil)
    }

    @Test(arguments: [
        ("root abcdefghijklmnopqrstuvwxyz", "line 1: unknown role (expected admin or reader)"),
        ("admin", "line 1: expected `role token`, found 1 fields"),
        ("# c\nadmin a b c", "line 2: expected `role token`, found 4 fields"),
        ("admin short", "line 1: token shorter than 16 characters"),
        ("admin abcdefghijklmnopq\nreader abcdefghijklmnopq", "line 2: the same token appears twice"),
        ("# nothing\n\n", "no tokens (one `role token` pair per line)"),
    ])
    func aMalformedTokensFileIsRefusedWithoutEchoingTokens(_ contents: String, _ message: String) {
        do {
            _ = try AccessTokens(parsing: contents)
            Issue.record("accepted \(contents)")
        } catch {
            #expect(error.description == message)
            #expect(!error.description.contains("abcdefghijklmnop"))
        }
    }

    @Test func windowsLineEndingsAreAccepted() throws {
        let tokens = try AccessTokens(parsing: "admin \(adminToken)\r\nreader \(readerToken)\r\n")
        #expect(tokens.role(of: readerToken) == .reader)
    }

    @Test(arguments: ["/v1/networks", "/v1/networks/7/runner", "/v1/nowhere", "/v1"])
    func aRequestWithoutATokenIs401WithABearerChallenge(_ path: String) throws {
        let f = try Fixture()
        defer { withExtendedLifetime(f) {} }
        let api = f.api
        let r = call(api, "GET", path, token: nil)
        #expect(r.status == 401)
        #expect(r.errorCode == "unauthorized")
        #expect(r.header("WWW-Authenticate")?.hasPrefix("Bearer") == true)
    }

    @Test(arguments: ["wrong-token-cccccccccccccccc", "", String(adminToken.dropLast())])
    func anUnknownTokenIs401(_ token: String) throws {
        let f = try Fixture()
        defer { withExtendedLifetime(f) {} }
        let api = f.api
        let r = call(api, "GET", "/v1/networks", token: token)
        #expect(r.status == 401)
        #expect(r.header("WWW-Authenticate")?.hasPrefix("Bearer") == true)
        let basic = Reply(
            api.respondInline(to: HTTPRequest(method: "GET", path: "/v1/networks", headers: [("Authorization", "Basic \(adminToken)")])))
        #expect(basic.status == 401)
    }

    @Test func theSchemeIsBearerInAnyCaseThenWhiteSpaceThenTheToken() throws {
        let f = try Fixture()
        defer { withExtendedLifetime(f) {} }
        func status(_ authorization: String) -> Int {
            Reply(
                f.api.respondInline(
                    to: HTTPRequest(method: "GET", path: "/v1/networks", headers: [("Authorization", authorization)]))
            ).status
        }
        for accepted in ["Bearer \(readerToken)", "bearer \(readerToken)", "BEARER  \(readerToken) ", "Bearer\t\(readerToken)"] {
            #expect(status(accepted) == 200, "\(accepted)")
        }
        for refused in [
            "Bearer", "Bearer ", "Bearer\(readerToken)", "Bearerx \(readerToken)", "Beare \(readerToken)", "Basic \(readerToken)",
            "Bearer \(readerToken)x", "Bearer \(readerToken.dropLast())", "\(readerToken)",
        ] {
            #expect(status(refused) == 401, "\(refused)")
        }
    }

    @Test func aReaderMayReadAndDecideButNotWrite() throws {
        let f = try Fixture()
        defer { withExtendedLifetime(f) {} }
        let api = f.api
        #expect(call(api, "PUT", "/v1/networks/7/policy", token: adminToken, body: sshPolicy).status == 201)
        #expect(call(api, "GET", "/v1/networks", token: readerToken).status == 200)
        #expect(call(api, "GET", "/v1/networks/7/policy", token: readerToken).status == 200)
        #expect(call(api, "GET", "/v1/networks/7/peers", token: readerToken).status == 200)
        let decision = call(api, "POST", "/v1/networks/7/decisions", token: readerToken, body: #"{"event":"connect","port":22}"#)
        #expect(decision.status == 200)
        for (method, path) in [
            ("PUT", "/v1/networks/7/policy"), ("DELETE", "/v1/networks/7/policy"), ("POST", "/v1/networks/7/reload"),
            ("POST", "/v1/reload"), ("PUT", "/v1/networks/7/members"), ("POST", "/v1/networks/7/cycle"),
            ("POST", "/v1/policies/validate"),
        ] {
            let r = call(api, method, path, token: readerToken, body: sshPolicy)
            #expect(r.status == 403, "\(method) \(path)")
            #expect(r.errorCode == "forbidden")
        }
        // Nothing changed: the policy is still there.
        #expect(call(api, "GET", "/v1/networks/7/runner", token: readerToken)["generation"]?.intValue == 1)
    }

    @Test func anAdminMayDoEverything() throws {
        let f = try Fixture()
        defer { withExtendedLifetime(f) {} }
        let api = f.api
        #expect(call(api, "PUT", "/v1/networks/7/policy", token: adminToken, body: sshPolicy).status == 201)
        #expect(call(api, "POST", "/v1/networks/7/reload", token: adminToken).status == 200)
        let members = #"{"members": [{"peer_id": 1}]}"#
        for (method, path, body) in [
            ("GET", "/v1/networks", ""), ("GET", "/v1/networks/7/policy", ""), ("GET", "/v1/networks/7/runner", ""),
            ("GET", "/v1/networks/7/peers", ""), ("POST", "/v1/networks/7/decisions", #"{"event":"connect","port":22}"#),
            ("PUT", "/v1/networks/7/members", members), ("POST", "/v1/networks/7/cycle", ""), ("POST", "/v1/reload", ""),
            ("POST", "/v1/policies/validate", sshPolicy),
        ] {
            let r = call(api, method, path, token: adminToken, body: body)
            #expect((200..<300).contains(r.status), "\(method) \(path): \(r.status)")
        }
        #expect(call(api, "DELETE", "/v1/networks/7/policy", token: adminToken).status == 204)
    }

    @Test(arguments: ["/healthz", "/readyz", "/metrics"])
    func healthReadinessAndMetricsStayOpen(_ path: String) throws {
        let f = try Fixture()
        defer { withExtendedLifetime(f) {} }
        let api = f.api
        #expect(call(api, "GET", path, token: nil).status == 200)
    }

    @Test func withoutTokensNothingIsChecked() throws {
        let f = try APIFixture()
        #expect(f.call("GET", "/v1/networks").status == 200)
        #expect(f.call("GET", "/v1/networks", headers: [("Authorization", "Bearer whatever")]).status == 200)
    }
}
