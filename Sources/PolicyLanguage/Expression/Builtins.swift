/// Names and static signatures of the builtins and custom functions.
enum Builtins {
    /// Non-predicate builtins of the policy subset.
    static let supported: Set<String> = [
        "len", "abs", "int", "float", "string", "lower", "upper", "trim", "trimPrefix",
        "trimSuffix", "split", "join", "indexOf", "max", "min", "first", "last",
    ]

    /// Predicate builtins of the policy subset (parsed with `#` predicates).
    static let predicates: Set<String> = ["all", "any", "none", "one", "filter", "map", "count", "sum"]

    /// Other expr builtins: valid expr, but outside the subset ("unsupported").
    static let otherExprBuiltins: Set<String> = [
        "type", "ceil", "floor", "round", "repeat", "splitAfter", "replace", "lastIndexOf",
        "hasPrefix", "hasSuffix", "mean", "median", "toJSON", "fromJSON", "toBase64", "fromBase64",
        "now", "date", "timezone", "get", "take", "keys", "values", "toPairs", "fromPairs", "sort",
        "reverse", "uniq", "concat", "flatten", "bitand", "bitor", "bitxor", "bitnand", "bitnot",
        "bitshl", "bitshr", "bitushr",
    ]

    struct Signature {
        var params: [SType]
        var ret: SType
    }

    /// Overloads of builtins typed by Go function signatures (tried in order).
    static let typed: [String: [Signature]] = [
        "string": [Signature(params: [.any], ret: .string)],
        "trim": [Signature(params: [.string], ret: .string), Signature(params: [.string, .string], ret: .string)],
        "trimPrefix": [Signature(params: [.string, .string], ret: .string), Signature(params: [.string], ret: .string)],
        "trimSuffix": [Signature(params: [.string, .string], ret: .string), Signature(params: [.string], ret: .string)],
        "upper": [Signature(params: [.string], ret: .string)],
        "lower": [Signature(params: [.string], ret: .string)],
        "split": [
            Signature(params: [.string, .string], ret: .stringSlice),
            Signature(params: [.string, .string, .int], ret: .stringSlice),
        ],
        "join": [
            Signature(params: [.stringSlice, .string], ret: .string),
            Signature(params: [.anyArray, .string], ret: .string),
            Signature(params: [.anyArray], ret: .string),
            Signature(params: [.stringSlice, .string], ret: .string),
            Signature(params: [.stringSlice], ret: .string),
        ],
        "indexOf": [Signature(params: [.string, .string], ret: .int)],
    ]

    /// The policy language's own functions.
    static let custom: [String: Signature] = [
        "has_tag": Signature(params: [.stringSlice, .string], ret: .bool),
        "duration": Signature(params: [.string], ret: .float),
        "since": Signature(params: [.float], ret: .float),
    ]
}
