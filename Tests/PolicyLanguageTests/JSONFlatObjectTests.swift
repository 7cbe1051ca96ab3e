import PolicyLanguage
import Testing

/// The flat-object fast path must agree with the general parser: whenever it says yes, the
/// members are exactly the parser's; and it must say yes for the flat bodies it exists for.
@Suite struct JSONFlatObjectTests {
    private func scan(_ text: String, maxDepth: Int = 64) -> [(key: String, value: JSONValue)]? {
        scan(Array(text.utf8), maxDepth: maxDepth)
    }

    private func scan(_ bytes: [UInt8], maxDepth: Int = 64) -> [(key: String, value: JSONValue)]? {
        var members: [(key: String, value: JSONValue)] = []
        let ok = JSONParser(maxDepth: maxDepth).scanFlatObject(bytes) { members.append((key: $0, value: $1.jsonValue)) }
        return ok ? members : nil
    }

    /// The general parser's answer when it is an object the fast path should take.
    private func flatMembers(_ bytes: [UInt8], maxDepth: Int = 64) -> [(key: String, value: JSONValue)]? {
        guard case .object(let members)? = try? JSONParser(maxDepth: maxDepth).parse(bytes) else { return nil }
        guard members.count <= JSONParser.flatObjectMaxKeys else { return nil }
        for member in members {
            switch member.value {
            case .object: return nil
            case .array(let items):
                guard maxDepth >= 2, items.allSatisfy({ if case .string = $0 { true } else { false } }) else { return nil }
            default: continue
            }
        }
        return members
    }

    private func same(_ a: [(key: String, value: JSONValue)]?, _ b: [(key: String, value: JSONValue)]?) -> Bool {
        switch (a, b) {
        case (nil, nil): true
        case let (x?, y?): x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: false
        }
    }

    @Test func readsADecisionRequest() {
        let members = scan(#" {"event":"connect", "peer_id":42,"port":22,"peer_tags":["ops","eu-west"],"x":null,"y":true,"r":0.5} "#)
        #expect(members?.map(\.key) == ["event", "peer_id", "port", "peer_tags", "x", "y", "r"])
        #expect(members?[3].value == .array([.string("ops"), .string("eu-west")]))
        #expect(members?[6].value == .double(0.5))
        #expect(scan("{}")?.isEmpty == true)
        #expect(scan(#"{"t": [], "k": "\u0070ort\n"}"#)?.map(\.value) == [.array([]), .string("port\n")])
    }

    @Test func declinesWhatItDoesNotTake() {
        #expect(scan(#"{"a": {"b": 1}}"#) == nil)  // nested object
        #expect(scan(#"{"a": [1]}"#) == nil)  // array of non-strings
        #expect(scan(#"{"a": ["x", 1]}"#) == nil)
        #expect(scan(#"{"a": 1, "a": 2}"#) == nil)  // duplicate key
        #expect(scan(#"{"port": 1, "\u0070ort": 2}"#) == nil)  // duplicate once decoded
        #expect(scan(#"{"a": 1} x"#) == nil)  // trailing characters
        #expect(scan(#"{"a": 1,}"#) == nil)
        #expect(scan(#"{"a": 01}"#) == nil)
        #expect(scan(#"{"a": tru}"#) == nil)
        #expect(scan("[1]") == nil)
        #expect(scan(#""s""#) == nil)
        #expect(scan("") == nil)
        #expect(scan(#"{"a": "\#u{1}"}"#) == nil)  // raw control character
        #expect(scan(Array(#"{"a": ""#.utf8) + [0xFF] + Array(#""}"#.utf8)) == nil)  // invalid UTF-8
        let many = "{" + (0...JSONParser.flatObjectMaxKeys).map { "\"k\($0)\": \($0)" }.joined(separator: ",") + "}"
        #expect(scan(many) == nil)
        let enough = "{" + (1...JSONParser.flatObjectMaxKeys).map { "\"k\($0)\": \($0)" }.joined(separator: ",") + "}"
        #expect(scan(enough)?.count == JSONParser.flatObjectMaxKeys)
    }

    @Test func keepsTheParsersDepthLimit() {
        #expect(scan(#"{"a": []}"#, maxDepth: 1) == nil)
        #expect(scan(#"{"a": 1}"#, maxDepth: 1)?.count == 1)
        #expect(scan("{}", maxDepth: 0) == nil)
        #expect((try? JSONParser(maxDepth: 1).parse(Array(#"{"a": []}"#.utf8))) == nil)
        #expect((try? JSONParser(maxDepth: 0).parse(Array("{}".utf8))) == nil)
    }

    /// Random flat-ish bodies and byte-level mutations of them: the fast path agrees with the
    /// general parser on every one, and takes every flat object the parser accepts.
    @Test func agreesWithTheParserOnRandomBodies() {
        var rng = SplitMix(seed: 0x5EED)
        let keys = ["event", "peer_id", "port", "peer_tags", "local_tags", "size", "direction", "\\u0070ort", "x", "é"]
        let values = [
            "1", "-0", "42", "1.5", "1e3", "-2E-2", "18446744073709551616", "9223372036854775807", "true", "false", "null",
            #""connect""#, #""a\"b\\c\/\u00e9\ud83d\ude00""#, "[]", #"["ops","eu-west"]"#, #"[ "a" , "b" ]"#, "[1]", #"{"a":1}"#,
            #"["a",{"b":[]}]"#, "{}",
        ]
        let spaces = ["", " ", "\n", "\t ", "\r\n"]
        var agreedFlat = 0
        for round in 0..<4000 {
            var text = "{"
            let count = rng.next(below: 6)
            for i in 0..<count {
                if i > 0 { text += "," }
                text += spaces[rng.next(below: spaces.count)] + "\"" + keys[rng.next(below: keys.count)] + "\""
                text += spaces[rng.next(below: spaces.count)] + ":" + spaces[rng.next(below: spaces.count)]
                text += values[rng.next(below: values.count)] + spaces[rng.next(below: spaces.count)]
            }
            text += "}" + spaces[rng.next(below: spaces.count)]
            var bytes = Array(text.utf8)
            if round % 2 == 1, !bytes.isEmpty {
                // Mutate: drop, duplicate or replace a byte.
                let at = rng.next(below: bytes.count)
                switch rng.next(below: 3) {
                case 0: bytes.remove(at: at)
                case 1: bytes.insert(bytes[at], at: at)
                default:
                    let replacements = Array(#"{}[],:"\ 0a"#.utf8)
                    bytes[at] = replacements[rng.next(below: replacements.count)]
                }
            }
            for depth in [64, 1] {
                let fast = scan(bytes, maxDepth: depth)
                let general = flatMembers(bytes, maxDepth: depth)
                #expect(same(fast, general), "\(String(decoding: bytes, as: UTF8.self)) depth \(depth)")
                if fast != nil { agreedFlat += 1 }
            }
        }
        #expect(agreedFlat > 1000)  // the generator does produce flat bodies the fast path takes
    }
}

/// A small deterministic generator (SplitMix64), so a failure reproduces.
private struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func next(below n: Int) -> Int { Int(next() % UInt64(n)) }
}
