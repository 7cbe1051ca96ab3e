import PolicyLanguage
import Testing

/// Every query parameter of every `/v1` operation is checked: unknown names, repeated names and
/// values other than the allowed ones are 400 `bad_request` naming the parameter.
@Suite struct QueryParameterTests {
    /// `?force=`, `?force`, other spellings, a repeat, and a stranger next to a good value.
    static let refusedReloadQueries: [[(name: String, value: String?)]] = [
        [("force", "")], [("force", nil)], [("force", "1")], [("force", "0")], [("force", "TRUE")],
        [("force", "yes")], [("force", "true ")], [("force", "true"), ("force", "true")], [("force", "false"), ("x", "1")],
    ]

    @Test(arguments: refusedReloadQueries)
    func reloadTakesOnlyTrueOrFalseOnce(_ query: [(name: String, value: String?)]) throws {
        let f = try APIFixture()
        let r = f.call("POST", "/v1/reload", query: query)
        #expect(r.status == 400)
        #expect(r.errorCode == "bad_request")
        let message = r.json?["error"]?["message"]?.stringValue ?? ""
        #expect(message.contains("force") || message.contains("'x'"), "\(message)")
    }

    @Test func reloadForceTrueSwapsUnchangedRunnersAndFalseDoesNot() throws {
        let f = try APIFixture()
        f.call("PUT", "/v1/networks/7/policy", body: sshPolicy)
        let unforced = f.call("POST", "/v1/reload", query: [("force", "false")])
        #expect(unforced.status == 200)
        #expect(unforced["results"]?.arrayValue?.first?["action"]?.stringValue == "unchanged")
        let forced = f.call("POST", "/v1/reload", query: [("force", "true")])
        #expect(forced["results"]?.arrayValue?.first?["action"]?.stringValue == "swapped")
        #expect(f.call("POST", "/v1/reload")["results"]?.arrayValue?.first?["action"]?.stringValue == "unchanged")
    }

    @Test(arguments: [
        ("GET", "/v1/networks"), ("GET", "/v1/networks/7/runner"), ("GET", "/v1/networks/7/policy"),
        ("PUT", "/v1/networks/7/policy"), ("DELETE", "/v1/networks/7/policy"), ("POST", "/v1/networks/7/reload"),
        ("POST", "/v1/networks/7/decisions"), ("PUT", "/v1/networks/7/members"), ("GET", "/v1/networks/7/peers"),
        ("POST", "/v1/networks/7/cycle"), ("POST", "/v1/policies/validate"),
    ])
    func unknownParametersOnV1AreRefusedBeforeAnythingHappens(_ method: String, _ path: String) throws {
        let f = try APIFixture()
        f.call("PUT", "/v1/networks/7/policy", body: sshPolicy)
        let r = f.call(method, path, body: method == "PUT" ? openPolicy : nil, query: [("force", "true")])
        #expect(r.status == 400, "\(method) \(path)")
        #expect(r.errorCode == "bad_request")
        let message = r.json?["error"]?["message"]?.stringValue ?? ""
        #expect(message.hasPrefix("unknown query parameter 'force' (this operation takes "), "\(message)")
        // Nothing changed: the same runner, the same document.
        #expect(f.call("GET", "/v1/networks/7/runner")["generation"]?.intValue == 1)
    }

    @Test func healthReadinessAndMetricsIgnoreQueryStrings() throws {
        let f = try APIFixture()
        for path in ["/healthz", "/readyz", "/metrics"] {
            #expect(f.call("GET", path, query: [("probe", "1"), ("probe", nil)]).status == 200, "\(path)")
        }
    }
}
