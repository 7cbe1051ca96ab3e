/// A runtime value; mirrors the Go dynamic types expr works with.
enum Value: Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)
    case array(ArrayValue)

    /// Go's `%T` of the value.
    var goTypeName: String {
        switch self {
        case .null: return "<nil>"
        case .bool: return "bool"
        case .int: return "int"
        case .float: return "float64"
        case .string: return "string"
        case .array(let a): return a.goTypeName
        }
    }

    /// The dynamic type as a failed Go type assertion names it.
    var assertionName: String {
        if case .null = self { return "nil" }
        return goTypeName
    }

    var isNil: Bool {
        if case .null = self { return true }
        return false
    }
}

/// An array value. Tag lists stay `[String]` and ranges stay lazy so evaluation does
/// not convert or materialise them.
struct ArrayValue: Sendable {
    enum Storage: Sendable {
        /// Go `[]string`.
        case strings([String])
        /// Go `[]interface {}`.
        case values([Value])
        /// Go `[]int` holding `lower ..< lower + count`.
        case range(lower: Int, count: Int)
    }

    var storage: Storage

    init(strings: [String]) { storage = .strings(strings) }
    init(values: [Value]) { storage = .values(values) }
    init(rangeFrom lower: Int, count: Int) { storage = .range(lower: lower, count: count) }

    var count: Int {
        switch storage {
        case .strings(let s): return s.count
        case .values(let v): return v.count
        case .range(_, let c): return c
        }
    }

    subscript(i: Int) -> Value {
        switch storage {
        case .strings(let s): return .string(s[i])
        case .values(let v): return v[i]
        case .range(let lo, _): return .int(lo &+ i)
        }
    }

    var goTypeName: String {
        switch storage {
        case .strings: return "[]string"
        case .values: return "[]interface {}"
        case .range: return "[]int"
        }
    }

    func slice(_ a: Int, _ b: Int) -> ArrayValue {
        switch storage {
        case .strings(let s): return ArrayValue(strings: Array(s[a..<b]))
        case .values(let v): return ArrayValue(values: Array(v[a..<b]))
        case .range(let lo, _): return ArrayValue(rangeFrom: lo &+ a, count: b - a)
        }
    }
}

extension Value {
    /// Go's `fmt.Sprintf("%v", v)`.
    var goFormatted: String {
        switch self {
        case .null: return "<nil>"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .float(let f): return formatGoFloat(f)
        case .string(let s): return s
        case .array(let a):
            var parts: [String] = []
            parts.reserveCapacity(a.count)
            for i in 0..<a.count { parts.append(a[i].goFormatted) }
            return "[" + parts.joined(separator: " ") + "]"
        }
    }
}
