import PolicyLanguage
import Testing

/// Compile errors (with line:column) and runtime errors (docs/policy-language.md, "Errors: compile time and run time").
@Suite struct ExprErrorTests {
    @Test(
        arguments: [
            ("unknown_var == 1", "unknown name unknown_var", 1, 1),
            ("port", "expected bool, but got int", 1, 1),
            ("'x'", "expected bool, but got string", 1, 1),
            ("peer_age_s", "expected bool, but got float64", 1, 1),
            ("port ==", "unexpected token EOF", 1, 7),
            ("((port == 1)", "unexpected token EOF", 1, 12),
            ("true == 1", "invalid operation: == (mismatched types bool and int)", 1, 6),
            ("port == '443'", "invalid operation: == (mismatched types int and string)", 1, 6),
            ("port + 'x' == 'x'", "invalid operation: + (mismatched types int and string)", 1, 6),
            ("'a' < 1", "invalid operation: < (mismatched types string and int)", 1, 5),
            ("5 % 2.0 == 1", "invalid operation: % (mismatched types int and float64)", 1, 3),
            ("'abc' in 'abcd'", "invalid operation: in (mismatched types string and string)", 1, 7),
            ("1 in peer_tags", "cannot use int as type string in array", 1, 3),
            ("peer_tags && true", "invalid operation: && (mismatched types []string and bool)", 1, 11),
            ("'x' ?? 'y' == 'x'", "Operator (==) and coalesce expressions (??) cannot be mixed. Wrap either by parentheses.", 1, 12),
            ("not 'x' in peer_tags", "invalid operation: not (mismatched type string)", 1, 1),
            ("has_tag(peer_tags)", "not enough arguments to call has_tag", 1, 1),
            ("has_tag(peer_tags, 1)", "cannot use int as argument (type string) to call has_tag ", 1, 20),
            ("has_tag(port, 'x')", "cannot use int as argument (type []string) to call has_tag ", 1, 9),
            ("has_tag(['a'], 'a')", "cannot use []interface {} as argument (type []string) to call has_tag ", 1, 9),
            ("len(port) > 0", "invalid argument for len (type int)", 1, 1),
            ("min() == 1", "not enough arguments to call min", 1, 1),
            ("max('a', 'b') == 'b'", "invalid argument for max (type string)", 1, 1),
            ("upper(1) == 'A'", "cannot use int as argument (type string) to call upper ", 1, 7),
            ("duration(1) > 0", "cannot use int as argument (type string) to call duration ", 1, 10),
            ("5 % 0 == 1", "integer divide by zero", 1, 3),
            (
                "9223372036854775808 > 0", "invalid integer literal: strconv.ParseInt: parsing \"9223372036854775808\": value out of range",
                1, 21
            ),
            ("1e400 > 0", "invalid float literal: strconv.ParseFloat: parsing \"1e400\": value out of range", 1, 7),
            ("'abc == 'abc'", "literal not terminated", 1, 14),
            ("'x' matches '('", "error parsing regexp: missing closing ): `(`", 1, 5),
            ("'x' matches 'a**'", "error parsing regexp: invalid nested repetition operator: `**`", 1, 5),
            ("port == 22 &&\n  unknown_x", "unknown name unknown_x", 2, 3),
            ("port == 22 && @", "unrecognized character: U+0040 '@'", 1, 15),
            ("0b15 > 0", "bad number syntax: \"0b15\"", 1, 4),
            ("any(peer_tags)", "expected at least 2 arguments", 1, 14),
            ("all(peer_tags, len(#))", "predicate should return boolean (got int)", 1, 16),
            ("peer_tags['a'] == 'x'", "array elements can only be selected using an integer (got string)", 1, 11),
            ("(port ? 1 : 2) == 1", "non-bool expression (type int) used as condition", 1, 2),
            ("foo(1)", "unknown name foo", 1, 1),
            ("nil", "expected bool, but got unknown", 1, 1),
            ("nil || true", "invalid operation: || (mismatched types unknown and bool)", 1, 5),
            ("port in 1..'a'", "invalid operation: .. (mismatched types int and string)", 1, 10),
        ] as [(String, String, Int, Int)])
    func compileError(_ source: String, _ message: String, _ line: Int, _ column: Int) {
        let e = ExprTest.compileError(source)
        #expect(e?.message == message, "\(source)")
        #expect(e?.line == line && e?.column == column, "\(source): \(String(describing: e))")
    }

    @Test(arguments: [
        "find(peer_tags, # == 'a') == 'a'", "{'a': 1} == nil", "peer_tags.size > 0", "let x = 1; x > 0",
        "port | string() == '22'", "ceil(1.5) > 0", "now() != nil", "if port > 1 { true } else { false }",
    ])
    func unsupportedSyntaxIsRejected(_ source: String) {
        let e = ExprTest.compileError(source)
        #expect(e != nil, "\(source)")
        #expect(e?.message.hasPrefix("unsupported") == true, "\(source): \(String(describing: e))")
    }

    @Test func variablesDependOnTheScope() {
        #expect(ExprTest.compileError("size > 0", scope: .event(.connect))?.message == "unknown name size")
        #expect(ExprTest.compileError("size > 0", scope: .event(.datagram)) == nil)
        #expect(ExprTest.compileError("cycle_num > 0 && trusted_count > peer_count", scope: .event(.cycle)) == nil)
        #expect(ExprTest.compileError("port > 0", scope: .event(.join))?.message == "unknown name port")
        #expect(ExprTest.compileError("members > 0", scope: .event(.leave))?.message == "unknown name members")
        #expect(ExprTest.compileError("since(last_seen) > duration('1h') && has_tag(peer_tags, 'x')", scope: .evictWhere) == nil)
        #expect(ExprTest.compileError("port > 0", scope: .evictWhere)?.message == "unknown name port")
        for event in EventKind.allCases {
            #expect(ExprTest.compileError("len(local_tags) >= 0", scope: .event(event)) == nil)
        }
    }

    @Test(arguments: [
        ("peer_tags[5] == 'x'", "index out of range: 5 (array length is 3) (1:10)"),
        ("peer_tags[-4] == 'x'", "index out of range: -1 (array length is 3) (1:10)"),
        ("port % 0 == 1", "runtime error: integer divide by zero (1:6)"),
        ("port % (members - 3) == 1", "runtime error: integer divide by zero (1:6)"),
        ("1 +\n  port % 0 > 1", "runtime error: integer divide by zero (2:8)"),
        ("first([]) > 1", "invalid operation: <nil> > int (1:11)"),
    ])
    func runtimeError(_ source: String, _ message: String) {
        #expect(ExprTest.runtimeError(source)?.description == message, "\(source)")
    }

    @Test func runtimeErrorsAreValuesNotTraps() {
        var ctx = ExprTest.sample
        ctx.members = 0
        #expect(ExprTest.runtimeError("port % members == 0", ctx) != nil)
        #expect(ExprTest.runtimeError("int('99999999999999999999') > 0") != nil)
        // Compiles, and evaluates without an error (runtimeError is nil for both otherwise).
        #expect(ExprTest.compileError("int(1e300) < 0") == nil)
        #expect(ExprTest.runtimeError("int(1e300) < 0") == nil)
    }
}

/// Hostile inputs are compile errors, never stack exhaustion.
@Suite struct ExprNestingLimitTests {
    @Test func deepParenthesesAreRejected() {
        let deep = String(repeating: "(", count: 20_000) + "true" + String(repeating: ")", count: 20_000)
        #expect(ExprTest.compileError(deep)?.message.hasPrefix("expression is too deeply nested") == true)
    }

    @Test func longOperatorChainsAreRejected() {
        let sum = (0..<5_000).map { _ in "port" }.joined(separator: " + ") + " > 0"
        #expect(ExprTest.compileError(sum)?.message.hasPrefix("expression is too deeply nested") == true)
        let pow = (0..<5_000).map { _ in "2" }.joined(separator: " ** ") + " > 0"
        #expect(ExprTest.compileError(pow)?.message.hasPrefix("expression is too deeply nested") == true)
        let nots = String(repeating: "!", count: 5_000) + "true"
        #expect(ExprTest.compileError(nots)?.message.hasPrefix("expression is too deeply nested") == true)
    }

    @Test func reasonableNestingCompiles() throws {
        let nested = String(repeating: "(", count: 40) + "port == 22" + String(repeating: ")", count: 40)
        #expect(try ExprTest.eval(nested))
        let chain = (0..<100).map { _ in "1" }.joined(separator: " + ") + " == 100"
        #expect(try ExprTest.eval(chain))
        // Just under the depth limit: checked, optimized, compiled and run recursively.
        let ors = (0..<390).map { "port == \($0)" }.joined(separator: " || ")
        #expect(try ExprTest.eval(ors))
        let sum = (0..<390).map { _ in "port" }.joined(separator: " + ") + " > 0"
        #expect(try ExprTest.eval(sum))
        let parens = String(repeating: "(", count: 120) + "true" + String(repeating: ")", count: 120)
        #expect(try ExprTest.eval(parens))
    }
}

@Suite struct ExprSyntaxErrorTests {
    @Test(
        arguments: [
            ("port ''", "unexpected token String", 1, 6),
            ("port 'x'", "unexpected token String(\"x\")", 1, 6),
            ("port port", "unexpected token Identifier(\"port\")", 1, 6),
            ("port == 22 )", "unexpected token Bracket(\")\")", 1, 12),
            ("port not 22", "unexpected token Number(\"22\")", 1, 10),
            ("", "unexpected token EOF", 1, 1),
            ("# > 1", "unexpected token Operator(\"#\")", 1, 1),
            ("/* open", "unclosed comment", 1, 8),
            ("'\\q' == 'q'", "invalid char escape", 1, 3),
            ("`raw", "literal not terminated", 1, 5),
            ("(port == 22) (1)", "unexpected token Bracket(\"(\")", 1, 14),
        ] as [(String, String, Int, Int)])
    func syntaxError(_ source: String, _ message: String, _ line: Int, _ column: Int) {
        let e = ExprTest.compileError(source)
        #expect(e?.message == message, "\(source): \(String(describing: e))")
        #expect(e?.line == line && e?.column == column, "\(source): \(String(describing: e))")
    }
}
