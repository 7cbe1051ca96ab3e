import PolicyLanguage
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `matches` uses RE2 syntax (Go's regexp): anchors bind to the whole text unless
/// (?m), `.` excludes newline unless (?s), \d \w \s are ASCII.
@Suite struct ExprRegexTests {
    @Test(arguments: [
        ("'abc' matches 'b'", true), ("'abc' matches '^b'", false), ("'a\\nb' matches '^b'", false),
        ("'a\\nb' matches '(?m)^b$'", true), ("'ab\\n' matches 'b$'", false), ("'ABC' matches '(?i)b'", true),
        ("'abc' matches '(?i:B)c'", true), ("'é' matches '^.$'", true), ("'١' matches '\\\\d'", false),
        ("'a_1' matches '^\\\\w+$'", true), ("'a b' matches '\\\\s'", true), ("'x' matches '[^a-c]'", true),
        ("'b' matches '[^a-c]'", false), ("'-' matches '[a-]'", true), ("']' matches '[]a]'", true),
        ("'aaa' matches '^(a|b)*$'", true), ("'abab' matches '^(?:ab){2}$'", true), ("'ab' matches '^a??b$'", true),
        ("'a.b' matches 'a\\\\.b'", true), ("'axb' matches 'a\\\\.b'", false),
        ("'Ab9' matches '^[[:upper:]][[:lower:]][[:digit:]]$'", true),
        ("'x' matches '\\\\x78'", true), ("'π' matches '\\\\pL'", true), ("'1' matches '\\\\PL'", true),
        ("'ab' matches '\\\\Bb'", true), ("'a b' matches 'a\\\\b'", true), ("'' matches '^$'", true),
        ("'(x)' matches '\\\\(x\\\\)'", true), ("'a.b*' matches '^\\\\Qa.b*\\\\E$'", true), ("'axbb' matches '^\\\\Qa.b*\\\\E$'", false),
        ("'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!' matches '^(a+)+$'", false),
    ])
    func matching(_ source: String, _ expected: Bool) throws {
        #expect(try ExprTest.eval(source) == expected, "\(source)")
    }

    @Test(arguments: [
        ("'x' matches '(a'", "error parsing regexp: missing closing ): `(a`"),
        ("'x' matches 'a)'", "error parsing regexp: unexpected ): `a)`"),
        ("'x' matches '[a'", "error parsing regexp: missing closing ]: `[a`"),
        ("'x' matches '*'", "error parsing regexp: missing argument to repetition operator: `*`"),
        ("'x' matches 'a{2}*'", "error parsing regexp: invalid nested repetition operator: `{2}*`"),
        ("'x' matches '\\\\q'", "error parsing regexp: invalid escape sequence: `\\q`"),
        ("'x' matches 'a{1001}'", "error parsing regexp: invalid repeat count: `{1001}`"),
        ("'x' matches '[z-a]'", "error parsing regexp: invalid character class range: `z-a`"),
        ("'x' matches '((a{1000}){1000}){1000}'", "error parsing regexp: expression too large"),
    ])
    func invalidLiteralPatternIsACompileError(_ source: String, _ message: String) {
        let e = ExprTest.compileError(source)
        #expect(e?.message == message, "\(source)")
        #expect(e?.column == 5)
    }

    @Test func invalidDynamicPatternIsARuntimeError() {
        var ctx = ExprTest.sample
        ctx.direction = "(("
        #expect(ExprTest.runtimeError("'x' matches direction", ctx)?.message == "error parsing regexp: missing closing ): `((`")
        ctx.direction = "^x$"
        #expect(ExprTest.runtimeError("'x' matches direction", ctx) == nil)
    }
}

@Suite struct ExprRegexBudgetTests {
    /// A Pike VM has no catastrophic backtracking; long inputs still check the clock.
    @Test func longInputStaysBounded() throws {
        var ctx = ExprTest.sample
        ctx.direction = String(repeating: "a", count: 200_000)
        let e = try ExprTest.compile("direction matches '^(a|aa)*c$'")
        var a = timespec()
        var b = timespec()
        clock_gettime(CLOCK_MONOTONIC, &a)
        let outcome = Result { () throws(EvaluationError) -> Bool in try e.evaluate(ctx) }
        clock_gettime(CLOCK_MONOTONIC, &b)
        let ms = Double(b.tv_sec - a.tv_sec) * 1e3 + Double(b.tv_nsec - a.tv_nsec) / 1e6
        switch outcome {
        case .success(let matched): #expect(matched == false)
        case .failure(let error): #expect(error.message == "evaluation exceeded the time budget of 100ms")
        }
        #expect(ms < 1000)
    }
}
