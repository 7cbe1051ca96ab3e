// Compiled closures receive the context borrowed (never copied, so reading a tag list
// costs no retain) and the mutable evaluation state.
typealias VFn = @Sendable (borrowing EvalContext, inout Env) throws(EvaluationError) -> Value
typealias BFn = @Sendable (borrowing EvalContext, inout Env) throws(EvaluationError) -> Bool
typealias IFn = @Sendable (borrowing EvalContext, inout Env) throws(EvaluationError) -> Int
typealias FFn = @Sendable (borrowing EvalContext, inout Env) throws(EvaluationError) -> Double
typealias SFn = @Sendable (borrowing EvalContext, inout Env) throws(EvaluationError) -> String

/// Compiles a checked, optimized tree into closures. Every node gets a generic
/// `Value` closure with expr's dynamic semantics; nodes whose runtime type is
/// guaranteed (`exact`) also get unboxed Bool/Int/Double/String closures, so the
/// common comparisons of variables never box or allocate.
struct Compiler {
    private let source: [Unicode.Scalar]

    init(source: [Unicode.Scalar]) { self.source = source }

    /// expr's `file.Error.Bind`: 1-based line, column counted in runes.
    func loc(_ pos: Int) -> Loc {
        var line = 1
        var col = 0
        var i = 0
        while i < pos && i < source.count {
            if source[i] == "\n" {
                line += 1
                col = 0
            } else {
                col += 1
            }
            i += 1
        }
        return Loc(line: line, column: col + 1)
    }

    private func literalValue(_ n: Node) -> Value {
        switch n.kind {
        case .int(let i): return .int(i)
        case .float(let f): return .float(f)
        case .string(let s): return .string(s)
        case .bool(let b): return .bool(b)
        default: return .null
        }
    }

    // MARK: generic values

    func value(_ n: Node) throws(CheckError) -> VFn {
        let l = loc(n.pos)
        switch n.kind {
        case .nilLit:
            return { _, _ in .null }
        case .bool, .int, .float, .string:
            let v = literalValue(n)
            return { _, _ in v }
        case .ident(let name):
            return Variables.valueVariable(name)
        case .pointer(let name):
            if name.isEmpty { return { ctx, env in env.scope.element } }
            return { ctx, env in .int(env.scope.index) }
        case .unary(let op, let x):
            if n.exact, n.type == .bool, let b = try fastBool(n) { return { ctx, env throws(EvaluationError) in .bool(try b(ctx, &env)) } }
            let f = try value(x)
            switch op {
            case "!", "not":
                return { ctx, env throws(EvaluationError) in .bool(!(try Runtime.asBool(try f(ctx, &env), l))) }
            case "-":
                return { ctx, env throws(EvaluationError) in try Runtime.negate(try f(ctx, &env), l) }
            default:
                return f
            }
        case .binary(let op, let lhs, let rhs):
            return try binary(n, op, lhs, rhs, l)
        case .member(let base, let index):
            let bf = try value(base)
            let xf = try value(index)
            return { ctx, env throws(EvaluationError) in
                let b = try bf(ctx, &env)
                return try Runtime.fetch(b, try xf(ctx, &env), l)
            }
        case .slice(let base, let from, let to):
            let bf = try value(base)
            let tf = try to.map { (t: Node) throws(CheckError) -> VFn in try value(t) }
            let ff = try from.map { (f: Node) throws(CheckError) -> VFn in try value(f) }
            return { ctx, env throws(EvaluationError) in
                let b = try bf(ctx, &env)
                let t: Value
                if let tf {
                    t = try tf(ctx, &env)
                } else {
                    switch b {
                    case .array(let a): t = .int(a.count)
                    case .string(let s): t = .int(s.utf8.count)
                    default: throw l.error("invalid argument for len (type \(b.goTypeName))")
                    }
                }
                let f: Value = try ff?(ctx, &env) ?? .int(0)
                return try Runtime.slice(b, f, t, l)
            }
        case .call(let name, let args):
            return try call(n, name, args, l)
        case .builtin(let name, let args):
            return try builtin(n, name, args, l)
        case .predicate(let inner):
            return try value(inner)
        case .conditional(let c, let a, let b):
            let cf = try value(c)
            let af = try value(a)
            let bf = try value(b)
            return { ctx, env throws(EvaluationError) in
                try Runtime.asBool(try cf(ctx, &env), l) ? try af(ctx, &env) : try bf(ctx, &env)
            }
        case .array(let items):
            if n.isConstant {
                let v = Value.array(ArrayValue(values: items.map(literalValue)))
                return { _, _ in v }
            }
            let fs = try items.map { (i: Node) throws(CheckError) -> VFn in try value(i) }
            let count = fs.count
            return { ctx, env throws(EvaluationError) in
                var vs: [Value] = []
                vs.reserveCapacity(count)
                for f in fs { vs.append(try f(ctx, &env)) }
                try env.memGrow(count, l)
                return .array(ArrayValue(values: vs))
            }
        case .find(let a, let p, let last):
            let af = try value(a)
            let pf = try value(p)
            return { ctx, env throws(EvaluationError) in
                let arr = try Runtime.arrayOperand(try af(ctx, &env), l)
                let saved = env.scope
                let n = arr.count
                for k in 0..<n {
                    let i = last ? n - 1 - k : k
                    try env.tick(l)
                    let e = arr[i]
                    env.scope = Env.Scope(element: e, index: i)
                    if try Runtime.asBool(try pf(ctx, &env), l) {
                        env.scope = saved
                        return e
                    }
                }
                throw l.error("reflect: slice index out of range")
            }
        }
    }

    private func binary(_ n: Node, _ op: String, _ lhs: Node, _ rhs: Node, _ l: Loc) throws(CheckError) -> VFn {
        if n.exact && n.type == .bool, let b = try fastBool(n) {
            return { ctx, env throws(EvaluationError) in .bool(try b(ctx, &env)) }
        }
        if op == "matches", case .string(let pattern) = rhs.kind {
            let re = try regex(pattern, n)
            let lf = try value(lhs)
            return { ctx, env throws(EvaluationError) in
                let a = try lf(ctx, &env)
                if a.isNil { return .bool(false) }
                return .bool(try re.matches(try Runtime.asString(a, l), &env, l))
            }
        }
        let lf = try value(lhs)
        let rf = try value(rhs)
        switch op {
        case "==", "!=":
            let negate = op == "!="
            if lhs.type == .int && rhs.type == .int {
                // expr emits OpEqualInt: both operands are asserted to be int.
                return { ctx, env throws(EvaluationError) in
                    let a = try lf(ctx, &env)
                    let b = try rf(ctx, &env)
                    let x = try Runtime.asInt(a, l)
                    let y = try Runtime.asInt(b, l)
                    return .bool((x == y) != negate)
                }
            }
            if lhs.type == .string && rhs.type == .string {
                return { ctx, env throws(EvaluationError) in
                    let a = try lf(ctx, &env)
                    let b = try rf(ctx, &env)
                    let x = try Runtime.asString(a, l)
                    let y = try Runtime.asString(b, l)
                    return .bool(goStringEqual(x, y) != negate)
                }
            }
            return { ctx, env throws(EvaluationError) in
                let a = try lf(ctx, &env)
                return .bool(Runtime.equal(a, try rf(ctx, &env)) != negate)
            }
        case "and", "&&", "or", "||":
            let isAnd = op == "and" || op == "&&"
            return { ctx, env throws(EvaluationError) in
                let a = try lf(ctx, &env)
                if try Runtime.asBool(a, l) != isAnd { return a }
                return try rf(ctx, &env)
            }
        case "<", ">", "<=", ">=":
            let c = Runtime.Compare(op)
            return { ctx, env throws(EvaluationError) in
                let a = try lf(ctx, &env)
                return .bool(try Runtime.compare(a, try rf(ctx, &env), c, l))
            }
        case "+", "-", "*":
            let a: Runtime.Arith = op == "+" ? .add : (op == "-" ? .sub : .mul)
            return { ctx, env throws(EvaluationError) in
                let x = try lf(ctx, &env)
                return try Runtime.arith(x, try rf(ctx, &env), a, l)
            }
        case "/":
            return { ctx, env throws(EvaluationError) in
                let x = try lf(ctx, &env)
                return try Runtime.divide(x, try rf(ctx, &env), l)
            }
        case "%":
            return { ctx, env throws(EvaluationError) in
                let x = try lf(ctx, &env)
                return try Runtime.modulo(x, try rf(ctx, &env), l)
            }
        case "**", "^":
            return { ctx, env throws(EvaluationError) in
                let x = try lf(ctx, &env)
                return try Runtime.exponent(x, try rf(ctx, &env), l)
            }
        case "in":
            return { ctx, env throws(EvaluationError) in
                let x = try lf(ctx, &env)
                return .bool(try Runtime.inArray(x, try rf(ctx, &env), l))
            }
        case "matches":
            return { ctx, env throws(EvaluationError) in
                let a = try lf(ctx, &env)
                let b = try rf(ctx, &env)
                if a.isNil || b.isNil { return .bool(false) }
                let pattern = try Runtime.asString(b, l)
                switch RE2Regex.compile(pattern) {
                case .success(let re): return .bool(try re.matches(try Runtime.asString(a, l), &env, l))
                case .failure(let e): throw l.error(e.message)
                }
            }
        case "contains", "startsWith", "endsWith":
            let test: @Sendable (String, String) -> Bool =
                op == "contains" ? goContains : (op == "startsWith" ? goHasPrefix : goHasSuffix)
            return { ctx, env throws(EvaluationError) in
                let a = try lf(ctx, &env)
                let b = try rf(ctx, &env)
                if a.isNil || b.isNil { return .bool(false) }
                let s = try Runtime.asString(a, l)
                return .bool(test(s, try Runtime.asString(b, l)))
            }
        case "..":
            return { ctx, env throws(EvaluationError) in
                let a = try lf(ctx, &env)
                let b = try rf(ctx, &env)
                return try Runtime.makeRange(a, b, &env, l)
            }
        case "??":
            return { ctx, env throws(EvaluationError) in
                let a = try lf(ctx, &env)
                return a.isNil ? try rf(ctx, &env) : a
            }
        default:
            throw CheckError(message: "unknown operator (\(op))", pos: n.pos)
        }
    }

    func regex(_ pattern: String, _ n: Node) throws(CheckError) -> RE2Regex {
        do {
            return try RE2Regex(pattern)
        } catch {
            throw CheckError(message: error.message, pos: n.pos)
        }
    }

    // MARK: custom functions

    private func call(_ n: Node, _ name: String, _ args: [Node], _ l: Loc) throws(CheckError) -> VFn {
        switch name {
        case "has_tag":
            let b = try bool(n)
            return { ctx, env throws(EvaluationError) in .bool(try b(ctx, &env)) }
        case "duration":
            let f = try float(n)
            return { ctx, env throws(EvaluationError) in .float(try f(ctx, &env)) }
        default:
            let f = try float(n)
            return { ctx, env throws(EvaluationError) in .float(try f(ctx, &env)) }
        }
    }

    func hasTag(_ args: [Node], _ l: Loc) throws(CheckError) -> BFn {
        let name = try string(args[1], l)
        if case .ident(let v) = args[0].kind {
            let peer = Variables.isPeerTags(v)
            return { ctx, env throws(EvaluationError) in
                let tag = try name(ctx, &env)
                return peer ? containsTag(ctx.peerTags, tag) : containsTag(ctx.localTags, tag)
            }
        }
        let tf = try value(args[0])
        return { ctx, env throws(EvaluationError) in
            let a = try tf(ctx, &env)
            let tag = try name(ctx, &env)
            guard case .array(let arr) = a, case .strings(let tags) = arr.storage else {
                throw Runtime.assertionError(a, "[]string", l)
            }
            for t in tags where goStringEqual(t, tag) { return true }
            return false
        }
    }

    @inline(__always)
    func containsTag(_ tags: borrowing [String], _ tag: String) -> Bool {
        for i in tags.indices where goStringEqual(tags[i], tag) { return true }
        return false
    }
}
