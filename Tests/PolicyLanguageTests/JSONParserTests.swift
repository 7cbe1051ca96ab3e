import PolicyLanguage
import Testing

@Suite struct JSONParserTests {
    @Test func parsesScalarsAndContainers() throws {
        #expect(try parseJSON("null") == .null)
        #expect(try parseJSON(" true ") == .bool(true))
        #expect(try parseJSON("false") == .bool(false))
        #expect(try parseJSON(#""hi""#) == .string("hi"))
        #expect(try parseJSON("[]") == .array([]))
        #expect(try parseJSON("{}") == .object([]))
        #expect(try parseJSON(" [ 1 , [ ] , { } ] ") == .array([.int(1), .array([]), .object([])]))
        let object = try parseJSON("\t{\"b\": 1,\r\n \"a\": [true, null]}\n")
        #expect(object == .object([(key: "b", value: .int(1)), (key: "a", value: .array([.bool(true), .null]))]))
        #expect(object["a"] == .array([.bool(true), .null]))
        #expect(object["missing"] == nil)
    }

    @Test func keepsMemberOrder() throws {
        guard case .object(let members) = try parseJSON(#"{"z": 1, "a": 2, "m": 3}"#) else {
            Issue.record("not an object")
            return
        }
        #expect(members.map(\.key) == ["z", "a", "m"])
    }

    @Test func acceptsNonContiguousInput() throws {
        let bytes = Array(Array(#"{"a": [1, 2]}"#.utf8).reversed()).reversed()
        #expect(try JSONParser().parse(bytes) == .object([(key: "a", value: .array([.int(1), .int(2)]))]))
    }

    // MARK: Numbers

    @Test func integersWithoutFractionOrExponentAreInts() throws {
        #expect(try parseJSON("0") == .int(0))
        #expect(try parseJSON("-0") == .int(0))
        #expect(try parseJSON("42") == .int(42))
        #expect(try parseJSON("-42") == .int(-42))
        #expect(try parseJSON("9223372036854775807") == .int(Int.max))
        #expect(try parseJSON("-9223372036854775808") == .int(Int.min))
    }

    @Test func integersBeyondIntAreDoubles() throws {
        #expect(try parseJSON("9223372036854775808") == .double(9223372036854775808.0))
        #expect(try parseJSON("-9223372036854775809") == .double(-9223372036854775809.0))
        #expect(try parseJSON("123456789012345678901234567890") == .double(1.2345678901234568e29))
    }

    @Test func fractionsAndExponentsAreDoubles() throws {
        #expect(try parseJSON("1.0") == .double(1))
        #expect(try parseJSON("1e3") == .double(1000))
        #expect(try parseJSON("1E+2") == .double(100))
        #expect(try parseJSON("25e-1") == .double(2.5))
        #expect(try parseJSON("-0.5") == .double(-0.5))
        #expect(try parseJSON("0.1") == .double(0.1))
        #expect(try parseJSON("1e-400") == .double(0))
        guard case .double(let negativeZero) = try parseJSON("-0.0") else {
            Issue.record("not a double")
            return
        }
        #expect(negativeZero == 0 && negativeZero.sign == .minus)
    }

    @Test(arguments: [
        "3.141592653589793238462643383279", "2.2250738585072014e-308", "4.9e-324", "1.7976931348623157e308",
        "9007199254740993.0", "0.30000000000000004", "123456.789e-3", "1e22", "1e23", "8.98846567431158e307",
        "0.000001", "-12345678901234567890.5", "2.5e-5", "7e-22", "72057594037927945e-10",
    ])
    func doublesAreCorrectlyRounded(text: String) throws {
        #expect(try parseJSON(text) == .double(Double(text)!))
    }

    @Test(arguments: ["1e309", "-1e400", "1.8e308", "123456789e400"])
    func doublesOutOfRangeAreErrors(text: String) {
        #expect(jsonError(text)?.message == "number out of range")
    }

    @Test(arguments: [
        ("01", "invalid number: leading zero"), ("-01", "invalid number: leading zero"), ("00", "invalid number: leading zero"),
        ("-", "invalid number: expected a digit"), ("-a", "invalid number: expected a digit"),
        ("1.", "invalid number: expected a digit after '.'"), ("1.e5", "invalid number: expected a digit after '.'"),
        ("1e", "invalid number: expected a digit in the exponent"), ("1e+", "invalid number: expected a digit in the exponent"),
    ])
    func malformedNumbersAreErrors(text: String, message: String) {
        #expect(jsonError(text)?.message == message)
    }

    @Test(arguments: [".5", "+1", "0x10", "Infinity", "NaN", "-Infinity"])
    func nonJSONNumbersAreRejected(text: String) {
        #expect(jsonError(text) != nil)
    }

    // MARK: Strings

    @Test func decodesEscapes() throws {
        #expect(try parseJSON(#""\"\\\/\b\f\n\r\t""#) == .string("\"\\/\u{08}\u{0C}\n\r\t"))
        #expect(try parseJSON(#""caf\u00e9 \u00E9""#) == .string("café é"))
        #expect(try parseJSON(#""\ud83d\ude00""#) == .string("😀"))
        #expect(try parseJSON(#""a\u0000b""#) == .string("a\u{0}b"))
        #expect(try parseJSON(#""\u20AC\uFFFF""#) == .string("€\u{FFFF}"))
    }

    @Test func keepsRawUTF8() throws {
        #expect(try parseJSON("\"héllo 😀 €\"") == .string("héllo 😀 €"))
        #expect(try parseJSON("\"é\\n😀\"") == .string("é\n😀"))
    }

    @Test(arguments: [
        (#""\ud83d""#, "lone high surrogate \\uD83D in a string"),
        (#""\ud83dx""#, "lone high surrogate \\uD83D in a string"),
        (#""\ud83d\u0041""#, "lone high surrogate \\uD83D in a string"),
        (#""\ude00""#, "lone low surrogate \\uDE00 in a string"),
        (#""\u12G4""#, "invalid \\u escape in a string"),
        (#""\u12""#, "invalid \\u escape in a string"),
        (#""\x41""#, "invalid escape in a string"),
        (#""\'""#, "invalid escape in a string"),
        (#""abc"#, "unterminated string"),
        (#""ab\"#, "unterminated string"),
        (#""ab\n"#, "unterminated string"),
        ("\"a\tb\"", "control character 0x09 in a string must be escaped"),
        ("\"a\nb\"", "control character 0x0A in a string must be escaped"),
    ])
    func malformedStringsAreErrors(text: String, message: String) {
        #expect(jsonError(text)?.message == message)
    }

    @Test(
        arguments: [
            [0xFF], [0x80], [0xC0, 0x80], [0xC1, 0xBF], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF],
            [0xF0, 0x80, 0x80, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xE2, 0x82], [0xE2, 0x28, 0xA1],
            [0xF0, 0x9F, 0x98], [0xC3],
        ] as [[UInt8]])
    func invalidUTF8InStringsIsRejected(sequence: [UInt8]) {
        // Both the fast path (no escapes) and the path after an escape.
        for wrapped in [[0x22] + sequence + [0x22], Array(#""\n"#.utf8) + sequence + [0x22]] {
            let message = jsonError(wrapped)?.message ?? ""
            #expect(message.hasPrefix("invalid UTF-8"), "\(sequence): \(message)")
        }
    }

    @Test func validUTF8BoundariesAreAccepted() throws {
        let samples: [[UInt8]] = [
            [0xC2, 0x80], [0xDF, 0xBF], [0xE0, 0xA0, 0x80], [0xED, 0x9F, 0xBF], [0xEE, 0x80, 0x80],
            [0xF0, 0x90, 0x80, 0x80], [0xF4, 0x8F, 0xBF, 0xBF],
        ]
        for sample in samples {
            let value = try JSONParser().parse([0x22] + sample + [0x22])
            #expect(value == .string(String(decoding: sample, as: UTF8.self)))
        }
    }

    @Test func invalidUTF8OutsideStringsIsRejected() {
        #expect(jsonError([0xEF, 0xBB, 0xBF] + Array("1".utf8))?.message == "unexpected byte 0xEF, expected a value")
        #expect(jsonError([0x5B, 0xFF, 0x5D]) != nil)
    }

    // MARK: Objects

    @Test func duplicateKeysAreRejected() {
        #expect(jsonError(#"{"a": 1, "a": 2}"#)?.message == #"duplicate object key "a""#)
        #expect(jsonError(#"{"a": 1, "\u0061": 2}"#)?.message == #"duplicate object key "a""#)
        #expect(jsonError(#"{"x": {"a": 1, "b": 2, "a": 3}}"#)?.offset == 23)
        let many = (0..<20).map { "\"k\($0)\": \($0)" }.joined(separator: ", ")
        #expect(jsonError("{\(many)}") == nil)
        #expect(jsonError("{\(many), \"k3\": 0}")?.message == #"duplicate object key "k3""#)
        #expect(jsonError("{\(many), \"k19\": 0}")?.message == #"duplicate object key "k19""#)
    }

    @Test func sameKeyInDifferentObjectsIsFine() throws {
        #expect(jsonError(#"{"a": {"a": 1}, "b": [{"a": 1}, {"a": 2}]}"#) == nil)
    }

    @Test(arguments: [
        ("[1,]", "unexpected ']', expected a value"), ("[,1]", "unexpected ',', expected a value"),
        ("[1 2]", "unexpected '2', expected ',' or ']'"), (#"{"a": 1,}"#, "unexpected '}', expected an object key"),
        ("{,}", "unexpected ',', expected an object key"), (#"{"a"}"#, "unexpected '}', expected ':' after an object key"),
        (#"{"a" 1}"#, "unexpected '1', expected ':' after an object key"), ("{1: 2}", "unexpected '1', expected an object key"),
        (#"{"a": 1 "b": 2}"#, "unexpected '\"', expected ',' or '}'"), ("[1", "unexpected end of input inside an array"),
        (#"{"a": 1"#, "unexpected end of input inside an object"), (#"{"a":"#, "unexpected end of input, expected a value"),
        ("{", "unexpected end of input, expected an object key"), ("", "unexpected end of input, expected a value"),
        ("  \n ", "unexpected end of input, expected a value"), ("tru", "invalid literal"), ("True", "unexpected 'T', expected a value"),
        ("nul", "invalid literal"), ("falsey", "trailing characters after the JSON value"),
    ])
    func malformedStructureIsRejected(text: String, message: String) {
        #expect(jsonError(text)?.message == message)
    }

    // MARK: Trailing input and depth

    @Test(arguments: ["1 2", "{} x", "[1],", "null null", "\"a\"\"b\"", "{}}", "[]]"])
    func trailingGarbageIsRejected(text: String) {
        #expect(jsonError(text)?.message == "trailing characters after the JSON value")
    }

    @Test func reportsTheByteOffset() {
        #expect(jsonError("[1, 2, x]")?.offset == 7)
        #expect(jsonError("1 2")?.offset == 2)
        #expect(jsonError("[1, 2, x]")?.description == "unexpected 'x', expected a value at byte 7")
    }

    @Test func nestingUpToMaxDepthIsAccepted() {
        let depth = 64
        #expect(jsonError(String(repeating: "[", count: depth) + String(repeating: "]", count: depth)) == nil)
        #expect(jsonError(String(repeating: #"{"a":"#, count: depth) + "1" + String(repeating: "}", count: depth)) == nil)
        #expect(jsonError("[[1]]", maxDepth: 2) == nil)
    }

    @Test func nestingBeyondMaxDepthIsAnError() {
        let tooDeep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        #expect(jsonError(tooDeep) == JSONError(message: "nesting deeper than 64 levels", offset: 64))
        #expect(jsonError("[[[1]]]", maxDepth: 2)?.message == "nesting deeper than 2 levels")
        #expect(jsonError(#"{"a": {"b": {}}}"#, maxDepth: 2)?.message == "nesting deeper than 2 levels")
    }

    @Test func hundredThousandLevelsFailCleanly() {
        #expect(jsonError(String(repeating: "[", count: 100_000))?.message == "nesting deeper than 64 levels")
        #expect(jsonError(String(repeating: #"{"a":"#, count: 100_000))?.message == "nesting deeper than 64 levels")
        // With the limit lifted the parser still does not recurse: it reaches the end of the input.
        #expect(jsonError(String(repeating: "[", count: 100_000), maxDepth: .max)?.message == "unexpected end of input, expected a value")
    }
}
