import PolicyLanguage
import Testing

/// Operators, precedence, literals and comments (docs/policy-language.md, "Operators, loosest first").
@Suite struct ExprOperatorTests {
    @Test(arguments: [
        // arithmetic and precedence
        "1 + 2 * 3 == 7", "(1 + 2) * 3 == 9", "10 - 2 - 3 == 5", "2 ** 3 ** 2 == 512",
        "-2 ** 2 == -4", "2 ^ 10 == 1024", "7 / 2 == 3.5", "7 % 3 == 1", "-7 % 3 == -1",
        "3 / 2 * 2 == 3", "port * 2 + 1 == 45", "-port == -22", "+port == 22", "-(-port) == port",
        "1 / 0 > 1e308", "0 / 0 != 0 / 0", "peer_age_s * 2 == 61.0", "size / 1000 == 1.5",
        "members ** 2 == 9.0", "port % 5 == 2",
        // comparisons, chaining, equality across int/float
        "1 == 1.0", "1 < 2 < 3", "3 > 2 > 1", "!(1 < 3 < 2)", "port >= 22", "port <= 22.5",
        "sender_rating < 1", "'b' > 'a'", "'B' < 'a'", "'abc' < 'abd'", "direction == 'in'",
        "direction != 'out'", "nil == nil", "port != nil", "[1, 2] == [1, 2]", "peer_tags != local_tags",
        // logic, not binds tighter than comparison
        "not true == false", "true and false or true", "!(false or true and false)", "true && !false",
        "false || port == 22", "not (port == 23)",
        // membership and string operators
        "port in [22, 443]", "port not in [80]", "port in 1..1024", "0 not in 3..1", "5 in 1..10",
        "'ops' in peer_tags", "'x' not in peer_tags", "'a' in ['a', 1]", "1.0 in [1, 2]", "port in 1..members * 10",
        "'abc' contains 'b'", "'abc' not contains 'z'", "'abc' startsWith 'ab'", "'abc' not startsWith 'b'",
        "'abc' endsWith 'bc'", "'abc' not endsWith 'b'", "'abc' matches '^a.c$'", "'ABC' matches '(?i)^abc$'",
        "'abc' not matches 'x'", "direction matches 'i' + 'n'", "'ops-12' matches '^ops-[0-9]+$'",
        "'a\\nb' matches '^a.b$' == false", "'a\\nb' matches '(?s)^a.b$'", "'line1\\nline2' matches '(?m)^line2$'",
        "'héllo' matches '^h.llo$'", "'word boundary' matches '\\\\bboundary\\\\b'",
        "'a1' matches '^[[:alpha:]]\\\\d$'", "'x' matches 'a|b|x'", "'aaa' matches '^a{2,3}$'", "'aaaa' matches '^a{2,3}$' == false",
        // ternary, nil coalescing, indexing, slicing
        "(port > 10 ? 'hi' : 'lo') == 'hi'", "(true ? 1 : 'a') == 1", "(nil ?? 5) == 5", "(port ?? 1) == 22",
        "peer_tags[0] == 'ops'", "peer_tags[-1] == 'edge'", "peer_tags[1:] == ['admin', 'edge']",
        "peer_tags[:1] == ['ops']", "peer_tags[-2:] == ['admin', 'edge']", "'hello'[1:3] == 'el'",
        "len(peer_tags[5:]) == 0", "[1, 2, 3][1] == 2",
        // literals
        "0x1F == 31", "0X1f == 31", "0o17 == 15", "0b101 == 5", "1_000 == 1000", ".5 == 0.5", "1e3 == 1000", "2.5e-1 == 0.25",
        "'a' + \"b\" == 'ab'", "'it\\'s' == \"it's\"", "'\\u00e9' == 'é'", "'\\x41' == 'A'", "'\\101' == 'A'",
        "`raw\\n` == 'raw\\\\n'", "'tab\\there' contains '\\t'", "[] == []", "len(['a', \"b\"]) == 2",
        // comments
        "port == 22 // trailing", "/* lead */ port == 22", "port /* mid */ == 22",
    ])
    func evaluatesToTrue(_ source: String) throws {
        #expect(try ExprTest.eval(source), "\(source)")
    }

    @Test func integerArithmeticWrapsOnOverflow() throws {
        var ctx = ExprTest.sample
        ctx.port = Int.max
        #expect(try ExprTest.eval("port + 1 < 0", ctx))
        #expect(try ExprTest.eval("port * 2 == -2", ctx))
        #expect(try ExprTest.eval("-port - 2 == port", ctx))
        #expect(try ExprTest.eval("9223372036854775807 + 1 < 0"))
        ctx.members = 1
        #expect(try ExprTest.eval("port in -members..3", ctx) == false)
        ctx.port = Int.min
        #expect(try ExprTest.eval("-port == port", ctx))
        #expect(try ExprTest.eval("port in -members..3", ctx) == false)
        #expect(try ExprTest.eval("abs(port) == port", ctx))
        #expect(try ExprTest.eval("port % -1 == 0", ctx))
    }

    @Test func andOrShortCircuit() throws {
        // The right side would be a runtime error if it were evaluated.
        #expect(try ExprTest.eval("port == 23 and port % 0 == 1") == false)
        #expect(try ExprTest.eval("port == 22 or int('x') > 0"))
        // expr folds `x and false` at compile time, so x is never evaluated.
        #expect(try ExprTest.eval("int('x') > 0 and false") == false)
    }

    @Test func precedenceOfNotAgainstIn() {
        #expect(ExprTest.compileError("not 'x' in peer_tags")?.message == "invalid operation: not (mismatched type string)")
        #expect(ExprTest.compileError("!'x' in peer_tags")?.message == "invalid operation: ! (mismatched type string)")
    }
}

/// Values whose static type expr gets "wrong" (max/min take the first argument's
/// type, ternaries unify loosely) keep expr's dynamic behaviour.
@Suite struct ExprDynamicTypingTests {
    @Test(arguments: [
        "max(1, 2.5) == 2.5", "min(3, 0.5) < 1", "all(port > 0 ? [1] : [2.5], # > 0)",
        "any(members > 5 ? [1] : [2.5], # == 2.5)", "string(max(1, 2.5)) == '2.5'",
        "since(port + 1.0) == 1977", "since(2 * 3) == 1994",
    ])
    func evaluatesToTrue(_ source: String) throws {
        #expect(try ExprTest.eval(source), "\(source)")
    }

    @Test func intTypedValuesHoldingFloatsFailLikeExpr() {
        // expr compiles `int == int` to OpEqualInt, which asserts both operands.
        #expect(ExprTest.runtimeError("max(1, 2.5) == max(2, 3)")?.message == "interface conversion: interface {} is float64, not int")
        // since() takes a float64; an int that is not a literal reaches it unconverted.
        #expect(ExprTest.runtimeError("since(max(members, port)) > 0")?.message == "interface conversion: interface {} is int, not float64")
        #expect(ExprTest.runtimeError("since(port % 5) > 0")?.message == "interface conversion: interface {} is int, not float64")
    }
}
