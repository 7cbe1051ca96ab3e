import PolicyLanguage
import Testing

@Suite struct JSONWriterTests {
    private func text(_ build: (inout JSONWriter) -> Void) -> String {
        var writer = JSONWriter()
        build(&writer)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    @Test func placesCommasItself() {
        let json = text { w in
            w.beginObject()
            w.key("a")
            w.int(1)
            w.key("b")
            w.beginArray()
            w.bool(true)
            w.null()
            w.beginObject()
            w.endObject()
            w.beginArray()
            w.endArray()
            w.string("x")
            w.endArray()
            w.key("c")
            w.beginObject()
            w.key("d")
            w.double(0.5)
            w.endObject()
            w.endObject()
        }
        #expect(json == #"{"a":1,"b":[true,null,{},[],"x"],"c":{"d":0.5}}"#)
    }

    @Test func rawKeysWriteWhatKeysWrite() {
        let build: (inout JSONWriter, Bool) -> Void = { w, raw in
            w.beginObject()
            if raw { w.rawKey(#""a":"#) } else { w.key("a") }
            w.int(1)
            if raw { w.rawKey(#""network_id":"#) } else { w.key("network_id") }
            w.beginObject()
            if raw { w.rawKey(#""b":"#) } else { w.key("b") }
            w.beginArray()
            w.endArray()
            w.endObject()
            if raw { w.rawKey(#""c":"#) } else { w.key("c") }
            w.string("x")
            w.endObject()
        }
        let plain = text { build(&$0, false) }
        #expect(text { build(&$0, true) } == plain)
        #expect(plain == #"{"a":1,"network_id":{"b":[]},"c":"x"}"#)
    }

    @Test func aReusedBufferHoldsOnlyTheNewText() {
        var old = Array(#"{"old":"text that is long enough"}"#.utf8)
        old.reserveCapacity(512)
        var w = JSONWriter(reusing: old, capacity: 16)
        w.beginObject()
        w.key("n")
        w.int(5)
        w.endObject()
        #expect(String(decoding: w.bytes, as: UTF8.self) == #"{"n":5}"#)
        #expect(String(decoding: old, as: UTF8.self) == #"{"old":"text that is long enough"}"#, "the caller's copy is untouched")
    }

    @Test func writesTopLevelScalars() {
        #expect(text { $0.int(-7) } == "-7")
        #expect(text { $0.string("") } == #""""#)
        #expect(text { $0.bool(false) } == "false")
    }

    @Test func escapesQuotesBackslashesAndControlCharacters() {
        #expect(text { $0.string("say \"hi\" \\ bye") } == #""say \"hi\" \\ bye""#)
        #expect(text { $0.string("a\nb\tc\r\u{0}\u{1F}") } == #""a\u000ab\u0009c\u000d\u0000\u001f""#)
        #expect(text { $0.key("k\"") } == #""k\"":"#)
    }

    @Test func leavesOtherCharactersAlone() {
        #expect(text { $0.string("é/😀\u{7F}€") } == "\"é/😀\u{7F}€\"")
    }

    @Test func escapedStringsParseBack() throws {
        let samples = ["", "plain", "\"\\\"", "\u{0}\u{1}\u{8}\u{C}\u{1F} ", "é😀\u{2028}", String(repeating: "ab\"", count: 100)]
        for sample in samples {
            #expect(try parseJSON(text { $0.string(sample) }) == .string(sample))
        }
    }

    @Test func writesIntegersExactly() {
        #expect(text { $0.int(Int.max) } == "9223372036854775807")
        #expect(text { $0.int(Int.min) } == "-9223372036854775808")
    }

    @Test func writesDoublesShortestAndIntegralOnesConsistently() {
        #expect(text { $0.double(0.1) } == "0.1")
        #expect(text { $0.double(100) } == "100.0")
        #expect(text { $0.double(-2) } == "-2.0")
        #expect(text { $0.double(1e16) } == "1e+16")
        #expect(text { $0.double(1.5e-7) } == "1.5e-07")
        #expect(text { $0.double(0.1 + 0.2) } == "0.30000000000000004")
    }

    @Test func nonFiniteDoublesBecomeNull() {
        #expect(text { $0.double(.nan) } == "null")
        #expect(text { $0.double(.infinity) } == "null")
        #expect(text { $0.double(-.infinity) } == "null")
    }

    @Test(
        arguments: [0.1, -0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude, 123456789.123, 1e21, 2.5e-5, 9007199254740992, 100]
            as [Double])
    func doublesRoundTrip(value: Double) throws {
        let parsed = try parseJSON(text { $0.double(value) })
        #expect(parsed == .double(value))
    }

    @Test func valueWritesWholeDocumentsInOrder() throws {
        let source = #"{"z":[1,2.5,"s",null,true,{"y":{}}],"a":-3,"e":"\u0001"}"#
        let value = try parseJSON(source)
        #expect(text { $0.value(value) } == source)
        #expect(try parseJSON(text { $0.value(value) }) == value)
    }

    @Test func valuesInsideContainersGetCommas() throws {
        let json = text { w in
            w.beginArray()
            w.value(.int(1))
            w.value(.object([(key: "a", value: .null)]))
            w.value(.array([]))
            w.endArray()
        }
        #expect(json == #"[1,{"a":null},[]]"#)
    }
}

@Suite struct CanonicalEncodingTests {
    private func canonical(_ text: String) throws -> String {
        String(decoding: try parseJSON(text).canonicalBytes, as: UTF8.self)
    }

    @Test func sortsKeysBytewiseAndDropsWhiteSpace() throws {
        #expect(
            try canonical(#"{ "b": 1, "a": { "d": [ 1, 2 ], "c": null }, "B": true, "é": 0, "aa": 2 }"#)
                == #"{"B":true,"a":{"c":null,"d":[1,2]},"aa":2,"b":1,"é":0}"#)
    }

    @Test func sortsByUTF8BytesNotByCharacters() throws {
        // U+FF21 (3 UTF-8 bytes starting 0xEF) sorts after U+00E9 (0xC3) and both after ASCII.
        #expect(try canonical(#"{"Ａ": 1, "é": 2, "z": 3}"#) == #"{"z":3,"é":2,"Ａ":1}"#)
    }

    @Test func sameDocumentWithOtherWhiteSpaceAndOrderHasTheSameBytes() throws {
        let a = #"{"version":1,"rules":[{"name":"r","on":"connect","match":"port == 22","actions":[{"type":"allow"}]}]}"#
        let b = """
            {
              "rules": [ { "actions": [ {"type": "allow"} ], "match": "port == 22", "on": "connect", "name": "r" } ],
              "version": 1
            }
            """
        #expect(try canonical(a) == canonical(b))
    }

    @Test func reEncodingIsStable() throws {
        let source = #"{"x": [0.1, 1e300, -0.0, 1.0, 12, "\u00e9\n", {"k": false}], "a": 1.5e-10}"#
        let once = try parseJSON(source).canonicalBytes
        let twice = try JSONParser().parse(once).canonicalBytes
        #expect(once == twice)
        #expect(String(decoding: once, as: UTF8.self) == #"{"a":1.5e-10,"x":[0.1,1e+300,-0.0,1.0,12,"é\u000a",{"k":false}]}"#)
    }
}
