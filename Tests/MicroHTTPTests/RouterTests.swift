import HTTPTestClient
import MicroHTTP
import Testing

@Suite("Router")
struct RouterTests {
    private var router: Router<String> {
        var router = Router<String>()
        router.add("GET", "/healthz", "health")
        router.add("GET", "/v1/networks", "list")
        router.add("GET", "/v1/networks/{id}/policy", "get-policy")
        router.add("PUT", "/v1/networks/{id}/policy", "put-policy")
        router.add("DELETE", "/v1/networks/{id}/policy", "delete-policy")
        router.add("POST", "/v1/networks/{id}/reload", "reload-one")
        router.add("POST", "/v1/reload", "reload-all")
        router.add("GET", "/v1/networks/{id}/peers/{peer}", "peer")
        router.add("GET", "/v1/networks/special/policy", "special")
        router.add("GET", "/a/{x}/b/{y}/c/{z}", "three")
        return router
    }

    private func found(_ method: String, _ path: String) -> (String, PathParameters)? {
        if case .found(let handler, let parameters) = router.match(method: method, path: path) {
            return (handler, parameters)
        }
        return nil
    }

    @Test func aRegisteredMethodAndPathFindTheirHandler() {
        #expect(found("GET", "/healthz")?.0 == "health")
        #expect(found("PUT", "/v1/networks/7/policy")?.0 == "put-policy")
        #expect(found("POST", "/v1/reload")?.0 == "reload-all")
    }

    @Test func pathParametersAreCaptured() {
        let match = found("GET", "/v1/networks/42/peers/abc")
        #expect(match?.0 == "peer")
        #expect(match?.1["id"] == "42")
        #expect(match?.1["peer"] == "abc")
        #expect(match?.1["missing"] == nil)
        let three = found("GET", "/a/first-value-longer-than-15/b/2/c/third")
        #expect(three?.0 == "three")
        #expect(three?.1["x"] == "first-value-longer-than-15")
        #expect(three?.1["y"] == "2")
        #expect(three?.1["z"] == "third")
        #expect(three?.1["id"] == nil)
        let given = PathParameters([("a", "1"), ("b", "2"), ("a", "3")])
        #expect(given["a"] == "1" && given["b"] == "2" && given["c"] == nil)
        #expect(PathParameters()["a"] == nil)
    }

    @Test func anUnknownPathIsNotFound() {
        for path in [
            "/", "/nope", "/healthz/extra", "/v1/networks/7", "/v1/networks/7/policy/x", "/v1/networks//policy", "healthz",
            "/healthy", "/v1/networkz/7/policy", "/v1/networks/7/polico", "/V1/networks",
        ] {
            guard case .notFound = router.match(method: "GET", path: path) else {
                Issue.record("\(path) should be not found")
                continue
            }
        }
    }

    @Test func aTrailingSlashIsADifferentPath() {
        guard case .notFound = router.match(method: "GET", path: "/healthz/") else {
            Issue.record("/healthz/ should be not found")
            return
        }
    }

    @Test func aKnownPathWithAnotherMethodIsMethodNotAllowedWithTheAllowedList() {
        guard case .methodNotAllowed(let allowed) = router.match(method: "POST", path: "/v1/networks/7/policy") else {
            Issue.record("expected 405")
            return
        }
        #expect(allowed == ["GET", "HEAD", "PUT", "DELETE"])
        guard case .methodNotAllowed(let onlyPost) = router.match(method: "GET", path: "/v1/reload") else {
            Issue.record("expected 405")
            return
        }
        #expect(onlyPost == ["POST"])
    }

    @Test func headFallsBackToGetAndIsListedAsAllowed() {
        #expect(found("HEAD", "/healthz")?.0 == "health")
        guard case .methodNotAllowed(let allowed) = router.match(method: "DELETE", path: "/healthz") else {
            Issue.record("expected 405")
            return
        }
        #expect(allowed == ["GET", "HEAD"])
    }

    @Test func anExplicitHeadWinsOverGet() {
        var router = Router<String>()
        router.add("GET", "/x", "get")
        router.add("HEAD", "/x", "head")
        guard case .found(let handler, _) = router.match(method: "HEAD", path: "/x") else {
            Issue.record("expected a match")
            return
        }
        #expect(handler == "head")
        guard case .methodNotAllowed(let allowed) = router.match(method: "PUT", path: "/x") else {
            Issue.record("expected 405")
            return
        }
        #expect(allowed == ["GET", "HEAD"])
    }

    @Test func aLiteralSegmentBeatsAParameter() {
        #expect(found("GET", "/v1/networks/special/policy")?.0 == "special")
        #expect(found("GET", "/v1/networks/ordinary/policy")?.0 == "get-policy")
        // The parameter route still serves the methods the literal one lacks.
        #expect(found("PUT", "/v1/networks/special/policy")?.0 == "put-policy")
    }

    @Test func registeringTheSameMethodAndPatternAgainReplacesTheHandler() {
        var router = Router<Int>()
        router.add("GET", "/a/{x}", 1)
        router.add("GET", "/a/{x}", 2)
        guard case .found(let handler, _) = router.match(method: "GET", path: "/a/b") else {
            Issue.record("expected a match")
            return
        }
        #expect(handler == 2)
    }

    @Test func theRootPatternMatchesOnlyTheRoot() {
        var router = Router<Int>()
        router.add("GET", "/", 1)
        guard case .found = router.match(method: "GET", path: "/") else {
            Issue.record("/ should match")
            return
        }
        guard case .notFound = router.match(method: "GET", path: "/x") else {
            Issue.record("/x should not match")
            return
        }
    }

    @Test func anEmptyRouterFindsNothing() {
        guard case .notFound = Router<Int>().match(method: "GET", path: "/") else {
            Issue.record("expected not found")
            return
        }
    }
}
