import Testing

/// Requests are counted per route, method and status whichever way they are counted
/// (a route's own handles for its method and usual statuses, the general path otherwise).
@Suite struct RouteMetricsTests {
    @Test func requestsAreCountedByRouteMethodAndStatus() throws {
        let f = try APIFixture()
        f.call("GET", "/healthz")
        f.call("GET", "/healthz")
        f.call("HEAD", "/healthz")
        f.call("GET", "/v1/networks/9/runner")
        f.call("GET", "/v1/networks/x/runner")
        f.call("PATCH", "/healthz")
        f.call("GET", "/nope")
        f.call("PUT", "/v1/networks/9/policy", body: sshPolicy)
        f.call("PUT", "/v1/networks/9/policy", body: sshPolicy)
        f.call("PUT", "/v1/networks/9/policy", body: sshPolicy, headers: [("If-Match", "\"other\"")])
        let text = f.call("GET", "/metrics").text
        for series in [
            #"{route="/healthz",method="GET",status="200"} 2"#,
            #"{route="/healthz",method="HEAD",status="200"} 1"#,
            #"{route="/v1/networks/{id}/runner",method="GET",status="404"} 1"#,
            #"{route="/v1/networks/{id}/runner",method="GET",status="400"} 1"#,
            #"{route="unmatched",method="PATCH",status="405"} 1"#,
            #"{route="unmatched",method="GET",status="404"} 1"#,
            #"{route="/v1/networks/{id}/policy",method="PUT",status="201"} 1"#,
            #"{route="/v1/networks/{id}/policy",method="PUT",status="200"} 1"#,
            #"{route="/v1/networks/{id}/policy",method="PUT",status="412"} 1"#,
        ] {
            #expect(text.contains("policyd_http_requests_total" + series), "\(series)")
        }
        #expect(text.contains(#"policyd_http_request_duration_seconds_count{route="/healthz"} 3"#))
        #expect(!text.contains(#"route="/v1/networks/{id}/peers""#), "no series for routes never called")
    }
}
