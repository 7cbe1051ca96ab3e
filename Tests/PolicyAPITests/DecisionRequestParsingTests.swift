import MicroHTTP
import PolicyLanguage
import PolicyService
import Testing

@testable import PolicyAPI

/// Decision requests are read by the flat scanner when they can be, by the general parser
/// otherwise; a caller must not be able to tell which: same input, same 400s, same order of checks.
@Suite struct DecisionRequestParsingTests {
    private enum Outcome: Equatable {
        case input(DecisionInput)
        case error(status: Int, code: String, message: String)

        var message: String {
            if case .error(_, _, let message) = self { return message }
            return ""
        }
    }

    private func outcome(_ body: () throws(APIError) -> DecisionInput) -> Outcome {
        do throws(APIError) {
            return .input(try body())
        } catch {
            return .error(status: error.status, code: error.code, message: error.message)
        }
    }

    private func both(_ bytes: [UInt8], contentType: String? = "application/json") -> (fast: Outcome, general: Outcome) {
        let request = HTTPRequest(
            method: "POST", path: "/v1/networks/1/decisions",
            headers: contentType.map { [(name: "Content-Type", value: $0)] } ?? [], body: bytes)
        let parser = JSONParser(maxDepth: 64)
        let fast = outcome { () throws(APIError) in try DecisionInput.parse(request, parser: parser) }
        let general = outcome { () throws(APIError) in try DecisionInput(request: try RequestBody.object(request, parser: parser)) }
        return (fast, general)
    }

    @Test func readsTheUsualBody() {
        let (fast, general) = both(Array(#"{"event":"connect","peer_id":42,"port":22,"peer_tags":["ops","eu-west"]}"#.utf8))
        var expected = DecisionInput(event: .connect)
        expected.peerID = 42
        expected.port = 22
        expected.peerTags = ["ops", "eu-west"]
        #expect(fast == .input(expected))
        #expect(general == fast)
    }

    @Test func givesTheSameErrors() {
        let bodies = [
            #"{"port": 22}"#, #"{"event": "join"}"#, #"{"event": 1}"#, #"{"event": "connect", "port": 70000}"#,
            #"{"event": "connect", "peer_tags": "ops"}"#, #"{"event": "connect", "peer_tags": [1]}"#,
            #"{"event": "connect", "peer_tags": ["a", {"b": 1}], "port": "x"}"#, #"{"event": "dial", "sender_rating": "high"}"#,
            #"{"event": "connect", "port": 1.0}"#, #"{"event": "connect", "event": "dial"}"#, "[]", "", "{", #"{"event": "connect"} {}"#,
            // null is not a value of any field (openapi.yaml admits none).
            #"{"event": null}"#, #"{"event": "connect", "peer_id": null}"#, #"{"event": "connect", "port": null}"#,
            #"{"event": "connect", "peer_tags": null}"#, #"{"event": "connect", "local_tags": [null]}"#,
            #"{"event": "connect", "sender_rating": null}"#, #"{"event": "connect", "size": null}"#,
            #"{"event": "connect", "direction": null}"#, #"{"event": "connect", "peer_tags": ["a"], "direction": null}"#,
        ]
        for body in bodies {
            let (fast, general) = both(Array(body.utf8))
            #expect(fast == general, "\(body)")
            if case .input = fast { Issue.record("\(body) was accepted") }
        }
        let (fast, general) = both(Array(#"{"event":"connect"}"#.utf8), contentType: "text/plain")
        #expect(fast == general)
        #expect(fast == .error(status: 415, code: "unsupported_media_type", message: general.message))
    }

    @Test func agreesOnRandomBodies() {
        var state: UInt64 = 0xDEC1DE
        func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
        let keys = ["event", "peer_id", "port", "peer_tags", "local_tags", "sender_rating", "size", "direction", "extra", "\\u0070ort"]
        let values = [
            #""connect""#, #""dial""#, #""datagram""#, #""join""#, "0", "22", "-1", "4294967296", "0.7", "1e2", "null", "true",
            #"["ops","eu-west"]"#, "[]", "[1]", #"{"a":[]}"#, #""in""#, "9223372036854775807",
        ]
        let fitting = [#""dial""#, "42", "22", #"["ops"]"#, "[]", "0.5", "1500", #""in""#, #"{"a":[]}"#, "443"]
        var accepted = 0
        for round in 0..<3000 {
            // Mostly plausible members (an event first, values fitting their key), some not.
            var text = next(4) == 0 ? "{" : #"{"event": "connect""#
            for _ in 0..<next(7) {
                let key = next(keys.count)
                let value = next(4) == 0 ? values[next(values.count)] : fitting[key]
                text += (text == "{" ? "" : ", ") + "\"" + keys[key] + "\": " + value
            }
            text += "}"
            var bytes = Array(text.utf8)
            if round % 3 == 2 { bytes.remove(at: next(bytes.count)) }
            let (fast, general) = both(bytes)
            #expect(fast == general, "\(String(decoding: bytes, as: UTF8.self))")
            if case .input = fast { accepted += 1 }
        }
        #expect(accepted > 500)  // the generator does reach the success path
    }
}
