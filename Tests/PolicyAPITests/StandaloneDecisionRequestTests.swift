import MicroHTTP
import PolicyLanguage
import PolicyService
import Testing

@testable import PolicyAPI

/// `policyd eval` reads its input with the API's DecisionRequest reader: what the API refuses,
/// eval refuses with the same message, and what it takes means the same input.
@Suite struct StandaloneDecisionRequestTests {
    /// The API's answer to a decision body (with `event` added) and eval's reading of the same body.
    private func both(_ fields: String) -> (api: String?, eval: Result<StandaloneDecisionRequest, APIError>) {
        let body = fields == "{}" ? #"{"event":"connect"}"# : #"{"event":"connect","# + fields.dropFirst()
        let request = HTTPRequest(
            method: "POST", path: "/v1/networks/1/decisions", headers: [(name: "Content-Type", value: "application/json")],
            body: Array(body.utf8))
        let api: String?
        do throws(APIError) {
            _ = try DecisionInput.parse(request, parser: JSONParser(maxDepth: 64))
            api = nil
        } catch {
            api = error.message
        }
        let eval = Result { () throws(APIError) in try StandaloneDecisionRequest(json: Array(fields.utf8), event: .connect) }
        return (api, eval)
    }

    @Test(arguments: [
        #"{"port":70000}"#, #"{"port":-1}"#, #"{"port":22.5}"#, #"{"port":null}"#, #"{"peer_id":4294967296}"#,
        #"{"size":-1}"#, #"{"peer_tags":"ops"}"#, #"{"peer_tags":[1]}"#, #"{"local_tags":null}"#,
        #"{"sender_rating":"high"}"#, #"{"direction":5}"#,
    ])
    func evalRefusesWhatTheAPIRefusesWithTheSameMessage(_ fields: String) throws {
        let (api, eval) = both(fields)
        let apiMessage = try #require(api, "the API took \(fields)")
        guard case .failure(let error) = eval else {
            Issue.record("eval took \(fields)")
            return
        }
        #expect(error.message == apiMessage)
        #expect(error.status == 400)
    }

    @Test func evalTakesWhatTheAPITakesAsTheSameInput() throws {
        let fields = #"{"peer_id":42,"port":22,"peer_tags":["ops","ops","eu"],"size":1500,"sender_rating":0.5,"direction":"in"}"#
        let (api, eval) = both(fields)
        #expect(api == nil)
        let request = try eval.get()
        var expected = DecisionInput(event: .connect)
        expected.peerID = 42
        expected.port = 22
        expected.peerTags = ["ops", "ops", "eu"]
        expected.size = 1500
        expected.senderRating = 0.5
        expected.direction = "in"
        #expect(request.input == expected)
        // As a runner unions them: repeats dropped, order kept.
        #expect(request.context.peerTags == ["ops", "eu"])
        #expect(request.context.port == 22)
    }

    @Test func theFieldsOnlyEvalTakesHaveRangesToo() throws {
        let ok = try StandaloneDecisionRequest(json: Array(#"{"network_id":7,"members":3,"peer_age_s":1.5}"#.utf8), event: .dial)
        #expect(ok.networkID == 7 && ok.members == 3 && ok.peerAgeS == 1.5)
        #expect(ok.input.event == .dial)
        #expect(ok.context.networkID == 7 && ok.context.members == 3 && ok.context.peerAgeS == 1.5)
        for (bad, message) in [
            (#"{"network_id":0}"#, "network_id must be in 1...65535"), (#"{"members":-1}"#, "members must be in 0...\(Int.max)"),
            (#"{"peer_age_s":-2}"#, "peer_age_s must be 0 or more"), ("[]", "request body must be a JSON object"),
        ] {
            do throws(APIError) {
                _ = try StandaloneDecisionRequest(json: Array(bad.utf8), event: .connect)
                Issue.record("eval took \(bad)")
            } catch {
                #expect(error.message == message, "\(bad)")
            }
        }
    }
}
