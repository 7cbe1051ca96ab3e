import PolicyLanguage
import Testing

/// Every builtin and custom function (docs/policy-language.md, "Builtins").
@Suite struct ExprBuiltinTests {
    @Test(arguments: [
        "len('héllo') == 5", "len(peer_tags) == 3", "len([]) == 0", "len(1..4) == 4", "len('') == 0",
        "abs(-5) == 5", "abs(-2.5) == 2.5", "abs(port) == 22",
        "int('42') == 42", "int('-7') == -7", "int(3.99) == 3", "int(-3.99) == -3", "int(port) == 22",
        "float(3) == 3.0", "float('1.5') == 1.5", "float(peer_age_s) == 30.5",
        "string(100.0) == '100'", "string(1e21) == '1e+21'", "string(1e20) == '100000000000000000000'",
        "string(0.1 + 0.2) == '0.30000000000000004'", "string(42) == '42'", "string(true) == 'true'",
        "string(1e-5) == '1e-05'", "string(-0.5) == '-0.5'", "string(123456.789) == '123456.789'",
        "string(peer_tags) == '[ops admin edge]'", "string(nil) == '<nil>'", "string(1 / 0) == '+Inf'",
        "string(sender_rating) == '0.75'", "string([1, 'a', 2.5]) == '[1 a 2.5]'",
        "lower('OpS') == 'ops'", "upper('ops-é') == 'OPS-É'",
        "trim('  x ') == 'x'", "trim('xxaxx', 'x') == 'a'", "trimPrefix('prefix-a', 'prefix-') == 'a'",
        "trimSuffix('a.txt', '.txt') == 'a'", "trimPrefix(' a') == 'a'", "trimSuffix('a ') == 'a'",
        "split('a,b,c', ',') == ['a', 'b', 'c']", "len(split('a,b,c', ',', 2)) == 2", "split('abc', '')[1] == 'b'",
        "split('', ',') == ['']",
        "join(['a', 'b'], '-') == 'a-b'", "join(peer_tags) == 'opsadminedge'", "join(split('a b', ' '), '+') == 'a+b'",
        "indexOf('héllo', 'l') == 3", "indexOf('abc', 'z') == -1",
        "max(1, 2.5) == 2.5", "min(3, 1, 2) == 1", "max([1, 5, 3]) == 5", "min(peer_age_s, 100) == 30.5",
        "first(peer_tags) == 'ops'", "last(peer_tags) == 'edge'", "first([]) == nil", "last([]) == nil",
        "all([], # > 0)", "!any([], # > 0)", "one([1, 2, 3], # > 2)", "!one([1, 2, 3], # > 1)",
        "none(peer_tags, # == 'x')", "all(peer_tags, {len(#) > 2})", "any(peer_tags, # startsWith 'ad')",
        "filter(1..5, # % 2 == 0) == [2, 4]", "map(1..3, # * 2) == [2, 4, 6]", "map(peer_tags, #index) == [0, 1, 2]",
        "count(1..10, # > 5) == 5", "count([true, false, true]) == 2", "sum(1..4) == 10", "sum([1.5, 2.5]) == 4.0",
        "sum(1..3, # * 2) == 12", "sum([]) == 0", "sum([port, 1]) == 23",
        "filter(peer_tags, # != 'admin')[0] == 'ops'", "filter(peer_tags, # != 'admin')[-1] == 'edge'",
        "len(filter(peer_tags, # contains 'd')) == 2", "any(filter(peer_tags, len(#) == 4), # == 'edge')",
        "all(peer_tags, {any(local_tags, {# == 'edge'})})",
        "has_tag(peer_tags, 'ops')", "!has_tag(peer_tags, 'OPS')", "has_tag(local_tags, 'edge')",
        "has_tag(split('a,b', ','), 'b')",
        "duration('1h30m') == 5400", "duration('500ms') == 0.5", "duration('1.5s') == 1.5", "duration('-1m') == -60",
        "duration('10us') == 0.00001", "duration('1µs') == 0.000001", "duration('1h1m1s1ms') == 3661.001",
        "duration('0') == 0", "duration('+2h') == 7200",
        "since(0) == 0", "since(-5.0) == 0", "since(1000.0) == 1000", "since(peer_age_s) == 1969.5",
        "since(port + 0.0) == 1978",
    ])
    func evaluatesToTrue(_ source: String) throws {
        #expect(try ExprTest.eval(source), "\(source)")
    }

    @Test func sinceUsesWallClockWhenNowIsZero() throws {
        var ctx = ExprTest.sample
        ctx.now = 0
        #expect(try ExprTest.eval("since(1.0) > 1.7e9", ctx))
        #expect(try ExprTest.eval("since(1e12) == 0.0", ctx))
    }

    /// docs/policy-language.md, "Builtins": 0 when ts is not a positive number (NaN included) or lies in the future (+Inf included).
    @Test(arguments: [
        "since((0 - 4.0) ** 0.5) == 0.0", "since(10.0 ** 400) == 0.0", "since(-(10.0 ** 400)) == 0.0",
        "since(0.0 / 0.0) == 0.0", "since(2000.0) == 0.0", "since(3000.0) == 0.0", "since(1999.5) == 0.5",
        "since(float(port) ** 0.5 - 100) == 0.0", "!(since((0 - 4.0) ** 0.5) < 0)", "since(10.0 ** 400) >= 0",
    ])
    func sinceIsNeverNegativeOrNaN(_ source: String) throws {
        #expect(try ExprTest.eval(source), "\(source)")
    }

    @Test(arguments: [
        ("int('x') > 0", "invalid operation: int(x) (1:1)"),
        ("duration('1d') > 0", "time: unknown unit \"d\" in duration \"1d\" (1:1)"),
        ("duration('') > 0", "time: invalid duration \"\" (1:1)"),
        ("duration('1') > 0", "time: missing unit in duration \"1\" (1:1)"),
        ("duration('bogus') > 0", "time: invalid duration \"bogus\" (1:1)"),
        ("since(peer_id) > 0", "interface conversion: interface {} is int, not float64 (1:1)"),
        ("count(peer_tags) > 0", "interface conversion: interface {} is string, not bool (1:1)"),
        ("filter(peer_tags, # == 'zz')[0] == 'a'", "reflect: slice index out of range (1:29)"),
        ("max(int(1.5), 1e3) == min(-port, 2.5)", "interface conversion: interface {} is float64, not int (1:20)"),
        ("float('x') > 0", "invalid operation: float(x) (1:1)"),
    ])
    func runtimeErrors(_ source: String, _ message: String) throws {
        #expect(ExprTest.runtimeError(source)?.description == message, "\(source)")
    }
}
