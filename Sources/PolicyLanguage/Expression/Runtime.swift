/// Go's dynamic operations on values (expr's vm/runtime helpers), with expr's panic
/// messages turned into thrown errors.
enum Runtime {
    static func assertionError(_ v: Value, _ want: String, _ loc: Loc) -> EvaluationError {
        loc.error("interface conversion: interface {} is \(v.assertionName), not \(want)")
    }

    @inline(__always)
    static func asBool(_ v: Value, _ loc: Loc) throws(EvaluationError) -> Bool {
        if case .bool(let b) = v { return b }
        throw assertionError(v, "bool", loc)
    }

    @inline(__always)
    static func asString(_ v: Value, _ loc: Loc) throws(EvaluationError) -> String {
        if case .string(let s) = v { return s }
        throw assertionError(v, "string", loc)
    }

    @inline(__always)
    static func asInt(_ v: Value, _ loc: Loc) throws(EvaluationError) -> Int {
        if case .int(let i) = v { return i }
        throw assertionError(v, "int", loc)
    }

    static func equal(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.int(let x), .int(let y)): return x == y
        case (.int(let x), .float(let y)): return Double(x) == y
        case (.float(let x), .int(let y)): return x == Double(y)
        case (.float(let x), .float(let y)): return x == y
        case (.string(let x), .string(let y)): return goStringEqual(x, y)
        case (.bool(let x), .bool(let y)): return x == y
        case (.array(let x), .array(let y)):
            // Typed slices of different element types are never equal (reflect.DeepEqual).
            switch (x.storage, y.storage) {
            case (.strings, .range), (.range, .strings): return false
            default: break
            }
            if x.count != y.count { return false }
            for i in 0..<x.count where !equal(x[i], y[i]) { return false }
            return true
        default: return false
        }
    }

    enum Compare {
        case less, more, lessEq, moreEq

        /// `<`, `>`, `<=` or `>=`.
        init(_ op: String) {
            self = op == "<" ? .less : (op == ">" ? .more : (op == "<=" ? .lessEq : .moreEq))
        }

        var symbol: String {
            switch self {
            case .less: "<"
            case .more: ">"
            case .lessEq: "<="
            case .moreEq: ">="
            }
        }
    }

    static func compare(_ a: Value, _ b: Value, _ op: Compare, _ loc: Loc) throws(EvaluationError) -> Bool {
        switch (a, b) {
        case (.int(let x), .int(let y)): return cmp(x, y, op)
        case (.int(let x), .float(let y)): return cmp(Double(x), y, op)
        case (.float(let x), .int(let y)): return cmp(x, Double(y), op)
        case (.float(let x), .float(let y)): return cmp(x, y, op)
        case (.string(let x), .string(let y)): return cmp(goStringCompare(x, y), 0, op)
        default: throw loc.error("invalid operation: \(a.goTypeName) \(op.symbol) \(b.goTypeName)")
        }
    }

    @inline(__always)
    static func cmp<T: Comparable>(_ x: T, _ y: T, _ op: Compare) -> Bool {
        switch op {
        case .less: return x < y
        case .more: return x > y
        case .lessEq: return x <= y
        case .moreEq: return x >= y
        }
    }

    enum Arith { case add, sub, mul }

    static func arith(_ a: Value, _ b: Value, _ op: Arith, _ loc: Loc) throws(EvaluationError) -> Value {
        switch (a, b) {
        case (.int(let x), .int(let y)):
            switch op {
            case .add: return .int(x &+ y)
            case .sub: return .int(x &- y)
            case .mul: return .int(x &* y)
            }
        case (.int, .float), (.float, .int), (.float, .float):
            let x = toDouble(a)
            let y = toDouble(b)
            switch op {
            case .add: return .float(x + y)
            case .sub: return .float(x - y)
            case .mul: return .float(x * y)
            }
        case (.string(let x), .string(let y)) where op == .add:
            return .string(x + y)
        default:
            let sym = op == .add ? "+" : (op == .sub ? "-" : "*")
            throw loc.error("invalid operation: \(a.goTypeName) \(sym) \(b.goTypeName)")
        }
    }

    @inline(__always)
    static func toDouble(_ v: Value) -> Double {
        switch v {
        case .int(let i): return Double(i)
        case .float(let f): return f
        default: return 0
        }
    }

    static func divide(_ a: Value, _ b: Value, _ loc: Loc) throws(EvaluationError) -> Value {
        switch (a, b) {
        case (.int, .int), (.int, .float), (.float, .int), (.float, .float):
            return .float(toDouble(a) / toDouble(b))
        default:
            throw loc.error("invalid operation: \(a.goTypeName) / \(b.goTypeName)")
        }
    }

    static func modulo(_ a: Value, _ b: Value, _ loc: Loc) throws(EvaluationError) -> Value {
        guard case .int(let x) = a, case .int(let y) = b else {
            throw loc.error("invalid operation: \(a.goTypeName) % \(b.goTypeName)")
        }
        return .int(try intModulo(x, y, loc))
    }

    @inline(__always)
    static func intModulo(_ x: Int, _ y: Int, _ loc: Loc) throws(EvaluationError) -> Int {
        if y == 0 { throw loc.error("runtime error: integer divide by zero") }
        return x.remainderReportingOverflow(dividingBy: y).partialValue
    }

    static func toFloat64(_ v: Value, _ loc: Loc) throws(EvaluationError) -> Double {
        switch v {
        case .int(let i): return Double(i)
        case .float(let f): return f
        default: throw loc.error("invalid operation: float(\(v.goTypeName))")
        }
    }

    static func toInt(_ v: Value, _ loc: Loc) throws(EvaluationError) -> Int {
        switch v {
        case .int(let i): return i
        case .float(let f): return goFloatToInt(f)
        default: throw loc.error("invalid operation: int(\(v.goTypeName))")
        }
    }

    static func exponent(_ a: Value, _ b: Value, _ loc: Loc) throws(EvaluationError) -> Value {
        .float(goPow(try toFloat64(a, loc), try toFloat64(b, loc)))
    }

    static func negate(_ v: Value, _ loc: Loc) throws(EvaluationError) -> Value {
        switch v {
        case .int(let i): return .int(0 &- i)
        case .float(let f): return .float(-f)
        default: throw loc.error("invalid operation: - \(v.goTypeName)")
        }
    }

    static func inArray(_ needle: Value, _ haystack: Value, _ loc: Loc) throws(EvaluationError) -> Bool {
        switch haystack {
        case .null: return false
        case .array(let arr):
            switch arr.storage {
            case .strings(let s):
                guard case .string(let n) = needle else { return false }
                for x in s where goStringEqual(x, n) { return true }
                return false
            case .range(let lo, let count):
                switch needle {
                case .int(let i): return rangeContains(lo, count, i)
                case .float(let f):
                    guard f.rounded(.towardZero) == f, f >= -9.2e18, f <= 9.2e18 else { return false }
                    return rangeContains(lo, count, Int(f))
                default: return false
                }
            case .values(let vs):
                for x in vs where equal(x, needle) { return true }
                return false
            }
        default:
            throw loc.error("operator \"in\" not defined on \(haystack.goTypeName)")
        }
    }

    private static func rangeContains(_ lo: Int, _ count: Int, _ i: Int) -> Bool {
        let (d, overflow) = i.subtractingReportingOverflow(lo)
        return i >= lo && !overflow && d < count
    }

    static func fetch(_ base: Value, _ index: Value, _ loc: Loc) throws(EvaluationError) -> Value {
        switch base {
        case .array(let arr):
            var i = try toInt(index, loc)
            let n = arr.count
            if i < 0 { i = n &+ i }
            if i < 0 || i >= n { throw loc.error("index out of range: \(i) (array length is \(n))") }
            return arr[i]
        case .string(let s):
            var i = try toInt(index, loc)
            let bytes = Array(s.utf8)
            if i < 0 { i = bytes.count &+ i }
            if i < 0 || i >= bytes.count { throw loc.error("index out of range: \(i) (array length is \(bytes.count))") }
            return .int(Int(bytes[i]))
        default:
            throw loc.error("cannot fetch \(index.goFormatted) from \(base.goTypeName)")
        }
    }

    static func slice(_ base: Value, _ from: Value, _ to: Value, _ loc: Loc) throws(EvaluationError) -> Value {
        let length: Int
        switch base {
        case .array(let arr): length = arr.count
        case .string(let s): length = s.utf8.count
        default: throw loc.error("cannot slice \(from.goFormatted)")
        }
        var a = try toInt(from, loc)
        var b = try toInt(to, loc)
        if a < 0 { a = length &+ a }
        if a < 0 { a = 0 }
        if b < 0 { b = length &+ b }
        if b < 0 { b = 0 }
        if b > length { b = length }
        if a > b { a = b }
        switch base {
        case .array(let arr): return .array(arr.slice(a, b))
        case .string(let s):
            let bytes = Array(s.utf8)[a..<b]
            return .string(String(decoding: bytes, as: UTF8.self))
        default: return .null
        }
    }

    static func len(_ v: Value, _ loc: Loc) throws(EvaluationError) -> Int {
        switch v {
        case .string(let s): return s.unicodeScalars.count
        case .array(let a): return a.count
        default: throw loc.error("invalid argument for len (type \(v.goTypeName))")
        }
    }

    static func makeRange(_ a: Value, _ b: Value, _ env: inout Env, _ loc: Loc) throws(EvaluationError) -> Value {
        let lo = try toInt(a, loc)
        let hi = try toInt(b, loc)
        let (diff, o1) = hi.subtractingReportingOverflow(lo)
        let (size0, o2) = diff.addingReportingOverflow(1)
        var size = size0
        if o1 || o2 { size = hi >= lo ? Int.max : 0 }
        if size <= 0 { size = 0 }
        try env.memGrow(size, loc)
        return .array(ArrayValue(rangeFrom: lo, count: size))
    }

    static func arrayOperand(_ v: Value, _ loc: Loc) throws(EvaluationError) -> ArrayValue {
        switch v {
        case .array(let a): return a
        case .null: throw loc.error("reflect: call of reflect.Value.Len on zero Value")
        default: throw loc.error("reflect: call of reflect.Value.Len on \(v.goTypeName) Value")
        }
    }
}
