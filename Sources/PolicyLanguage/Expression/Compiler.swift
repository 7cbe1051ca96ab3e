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

    private func regex(_ pattern: String, _ n: Node) throws(CheckError) -> RE2Regex {
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

    private func hasTag(_ args: [Node], _ l: Loc) throws(CheckError) -> BFn {
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
    private func containsTag(_ tags: borrowing [String], _ tag: String) -> Bool {
        for i in tags.indices where goStringEqual(tags[i], tag) { return true }
        return false
    }

    // MARK: typed closures

    /// Bool closure for a node whose value is a guaranteed bool.
    func bool(_ n: Node) throws(CheckError) -> BFn {
        if let f = try fastBool(n) { return f }
        let g = try value(n)
        let l = loc(n.pos)
        return { ctx, env throws(EvaluationError) in try Runtime.asBool(try g(ctx, &env), l) }
    }

    private func isExact(_ n: Node, _ t: SType) -> Bool { n.exact && n.type == t }
    private func isExactNumber(_ n: Node) -> Bool { n.exact && n.type.isNumber }

    private func fastBool(_ n: Node) throws(CheckError) -> BFn? {
        let l = loc(n.pos)
        switch n.kind {
        case .bool(let b):
            return { _, _ in b }
        case .unary(let op, let x) where (op == "!" || op == "not") && isExact(x, .bool):
            let f = try bool(x)
            return { ctx, env throws(EvaluationError) in !(try f(ctx, &env)) }
        case .binary(let op, let lhs, let rhs):
            switch op {
            case "and", "&&", "or", "||":
                guard isExact(rhs, .bool) else { return nil }
                let lf: BFn
                if isExact(lhs, .bool) {
                    lf = try bool(lhs)
                } else {
                    let g = try value(lhs)
                    lf = { ctx, env throws(EvaluationError) in try Runtime.asBool(try g(ctx, &env), l) }
                }
                let rf = try bool(rhs)
                if op == "and" || op == "&&" {
                    return { ctx, env throws(EvaluationError) in
                        if !(try lf(ctx, &env)) { return false }
                        return try rf(ctx, &env)
                    }
                }
                return { ctx, env throws(EvaluationError) in
                    if try lf(ctx, &env) { return true }
                    return try rf(ctx, &env)
                }
            case "==", "!=", "<", ">", "<=", ">=":
                return try fastCompare(op, lhs, rhs)
            case "contains", "startsWith", "endsWith":
                guard isExact(lhs, .string), isExact(rhs, .string) else { return nil }
                let a = try string(lhs, l)
                let b = try string(rhs, l)
                let test: @Sendable (String, String) -> Bool =
                    op == "contains" ? goContains : (op == "startsWith" ? goHasPrefix : goHasSuffix)
                return { ctx, env throws(EvaluationError) in
                    let x = try a(ctx, &env)
                    return test(x, try b(ctx, &env))
                }
            case "matches":
                guard isExact(lhs, .string), case .string(let pattern) = rhs.kind else { return nil }
                let re = try regex(pattern, n)
                let a = try string(lhs, l)
                return { ctx, env throws(EvaluationError) in try re.matches(try a(ctx, &env), &env, l) }
            case "in":
                return try fastIn(lhs, rhs)
            default:
                return nil
            }
        case .call("has_tag", let args):
            return try hasTag(args, l)
        default:
            return nil
        }
    }

    /// The int and float blocks below are near-copies on purpose: one closure per operator
    /// and type, written out. A generic `Comparable` helper measured 10-30% slower per gate
    /// decision in `policyd-bench` (release), so the copies stay.
    private func fastCompare(_ op: String, _ lhs: Node, _ rhs: Node) throws(CheckError) -> BFn? {
        let l = loc(lhs.pos)
        if isExact(lhs, .int) && isExact(rhs, .int) {
            let a = try int(lhs)
            let b = try int(rhs)
            switch op {
            case "==":
                return { ctx, env throws(EvaluationError) in
                    let x = try a(ctx, &env); return try x == b(ctx, &env)
                }
            case "!=":
                return { ctx, env throws(EvaluationError) in
                    let x = try a(ctx, &env); return try x != b(ctx, &env)
                }
            case "<":
                return { ctx, env throws(EvaluationError) in
                    let x = try a(ctx, &env); return try x < b(ctx, &env)
                }
            case ">":
                return { ctx, env throws(EvaluationError) in
                    let x = try a(ctx, &env); return try x > b(ctx, &env)
                }
            case "<=":
                return { ctx, env throws(EvaluationError) in
                    let x = try a(ctx, &env); return try x <= b(ctx, &env)
                }
            default:
                return { ctx, env throws(EvaluationError) in
                    let x = try a(ctx, &env); return try x >= b(ctx, &env)
                }
            }
        }
        if isExactNumber(lhs) && isExactNumber(rhs) {
            let a = try float(lhs)
            let b = try float(rhs)
            switch op {
            case "==":
                return { ctx, env throws(EvaluationError) in
                    let x = try a(ctx, &env); return try x == b(ctx, &env)
                }
            case "!=":
                return { ctx, env throws(EvaluationError) in
                    let x = try a(ctx, &env); return try x != b(ctx, &env)
                }
            case "<":
                return { ctx, env throws(EvaluationError) in
                    let x = try a(ctx, &env); return try x < b(ctx, &env)
                }
            case ">":
                return { ctx, env throws(EvaluationError) in
                    let x = try a(ctx, &env); return try x > b(ctx, &env)
                }
            case "<=":
                return { ctx, env throws(EvaluationError) in
                    let x = try a(ctx, &env); return try x <= b(ctx, &env)
                }
            default:
                return { ctx, env throws(EvaluationError) in
                    let x = try a(ctx, &env); return try x >= b(ctx, &env)
                }
            }
        }
        if isExact(lhs, .string) && isExact(rhs, .string) {
            let a = try string(lhs, l)
            let b = try string(rhs, l)
            switch op {
            case "==":
                return { ctx, env throws(EvaluationError) in
                    let x = try a(ctx, &env); return goStringEqual(x, try b(ctx, &env))
                }
            case "!=":
                return { ctx, env throws(EvaluationError) in
                    let x = try a(ctx, &env); return !goStringEqual(x, try b(ctx, &env))
                }
            default:
                let c = Runtime.Compare(op)
                return { ctx, env throws(EvaluationError) in
                    let x = try a(ctx, &env)
                    let y = try b(ctx, &env)
                    return Runtime.cmp(goStringCompare(x, y), 0, c)
                }
            }
        }
        if (op == "==" || op == "!=") && isExact(lhs, .bool) && isExact(rhs, .bool) {
            let a = try bool(lhs)
            let b = try bool(rhs)
            let negate = op == "!="
            return { ctx, env throws(EvaluationError) in
                let x = try a(ctx, &env); return try (x == b(ctx, &env)) != negate
            }
        }
        return nil
    }

    /// `x in [literal, ...]` with a constant array of ints or strings, and
    /// `'tag' in peer_tags` on a tag-list variable.
    private func fastIn(_ lhs: Node, _ rhs: Node) throws(CheckError) -> BFn? {
        let l = loc(lhs.pos)
        if isExact(lhs, .string), case .ident(let v) = rhs.kind, rhs.type == .stringSlice {
            let a = try string(lhs, l)
            let peer = Variables.isPeerTags(v)
            return { ctx, env throws(EvaluationError) in
                let tag = try a(ctx, &env)
                return peer ? containsTag(ctx.peerTags, tag) : containsTag(ctx.localTags, tag)
            }
        }
        guard case .array(let items) = rhs.kind, rhs.isConstant else { return nil }
        if isExact(lhs, .int) {
            var ints: [Int] = []
            for i in items {
                guard case .int(let v) = i.kind else { return nil }
                ints.append(v)
            }
            let a = try int(lhs)
            let set = ints
            return { ctx, env throws(EvaluationError) in set.contains(try a(ctx, &env)) }
        }
        if isExact(lhs, .string) {
            var strs: [String] = []
            for i in items {
                guard case .string(let v) = i.kind else { return nil }
                strs.append(v)
            }
            let a = try string(lhs, l)
            let list = strs
            return { ctx, env throws(EvaluationError) in
                let x = try a(ctx, &env)
                for s in list where goStringEqual(s, x) { return true }
                return false
            }
        }
        return nil
    }

    /// Int closure for a node whose value is a guaranteed int.
    func int(_ n: Node) throws(CheckError) -> IFn {
        let l = loc(n.pos)
        switch n.kind {
        case .int(let v):
            return { _, _ in v }
        case .ident(let name):
            if let f = Variables.intVariable(name) { return f }
        case .unary("-", let x) where isExact(x, .int):
            let f = try int(x)
            return { ctx, env throws(EvaluationError) in 0 &- (try f(ctx, &env)) }
        case .unary("+", let x) where isExact(x, .int):
            return try int(x)
        case .binary(let op, let lhs, let rhs) where isExact(lhs, .int) && isExact(rhs, .int):
            let a = try int(lhs)
            let b = try int(rhs)
            switch op {
            case "+":
                return { ctx, env throws(EvaluationError) in
                    let x = try a(ctx, &env); return try x &+ b(ctx, &env)
                }
            case "-":
                return { ctx, env throws(EvaluationError) in
                    let x = try a(ctx, &env); return try x &- b(ctx, &env)
                }
            case "*":
                return { ctx, env throws(EvaluationError) in
                    let x = try a(ctx, &env); return try x &* b(ctx, &env)
                }
            case "%":
                return { ctx, env throws(EvaluationError) in
                    let x = try a(ctx, &env)
                    return try Runtime.intModulo(x, try b(ctx, &env), l)
                }
            default: break
            }
        default:
            break
        }
        let g = try value(n)
        return { ctx, env throws(EvaluationError) in try Runtime.asInt(try g(ctx, &env), l) }
    }

    /// Double closure for a node whose value is a guaranteed int or float.
    func float(_ n: Node) throws(CheckError) -> FFn {
        let l = loc(n.pos)
        if n.type == .int && n.exact {
            let f = try int(n)
            return { ctx, env throws(EvaluationError) in Double(try f(ctx, &env)) }
        }
        switch n.kind {
        case .float(let v):
            return { _, _ in v }
        case .ident(let name):
            if let f = Variables.floatVariable(name) { return f }
        case .binary(let op, let lhs, let rhs) where isExactNumber(lhs) && isExactNumber(rhs):
            let a = try float(lhs)
            let b = try float(rhs)
            switch op {
            case "+":
                return { ctx, env throws(EvaluationError) in
                    let x = try a(ctx, &env); return try x + b(ctx, &env)
                }
            case "-":
                return { ctx, env throws(EvaluationError) in
                    let x = try a(ctx, &env); return try x - b(ctx, &env)
                }
            case "*":
                return { ctx, env throws(EvaluationError) in
                    let x = try a(ctx, &env); return try x * b(ctx, &env)
                }
            case "/":
                return { ctx, env throws(EvaluationError) in
                    let x = try a(ctx, &env); return try x / b(ctx, &env)
                }
            case "**", "^":
                return { ctx, env throws(EvaluationError) in
                    let x = try a(ctx, &env); return goPow(x, try b(ctx, &env))
                }
            default: break
            }
        case .call("duration", let args):
            if case .string(let literal) = args[0].kind {
                // Parsed once; a bad literal stays a runtime error, as in expr.
                switch goParseDuration(literal) {
                case .success(let ns):
                    let seconds = durationSeconds(ns)
                    return { _, _ in seconds }
                case .failure(let e):
                    let message = e.message
                    return { _, _ throws(EvaluationError) in throw l.error(message) }
                }
            }
            let s = try string(args[0], l)
            return { ctx, env throws(EvaluationError) in
                switch goParseDuration(try s(ctx, &env)) {
                case .success(let ns): return durationSeconds(ns)
                case .failure(let e): throw l.error(e.message)
                }
            }
        case .call("since", let args):
            let g = try value(args[0])
            return { ctx, env throws(EvaluationError) in
                let v = try g(ctx, &env)
                guard case .float(let ts) = v else { throw Runtime.assertionError(v, "float64", l) }
                // Never negative, never NaN: `ts > 0` is false for NaN; a future ts (+Inf too) gives 0.
                guard ts > 0 else { return 0 }
                let elapsed = (ctx.now != 0 ? ctx.now : wallClockSeconds()) - ts
                return elapsed > 0 ? elapsed : 0
            }
        default:
            break
        }
        let g = try value(n)
        return { ctx, env throws(EvaluationError) in
            let v = try g(ctx, &env)
            switch v {
            case .float(let f): return f
            case .int(let i): return Double(i)
            default: throw Runtime.assertionError(v, "float64", l)
            }
        }
    }

    /// String closure; asserts string at runtime when the node is not exact.
    func string(_ n: Node, _ l: Loc) throws(CheckError) -> SFn {
        if n.exact && n.type == .string {
            switch n.kind {
            case .string(let s): return { _, _ in s }
            case .ident(let name): if let f = Variables.stringVariable(name) { return f }
            default: break
            }
        }
        let g = try value(n)
        return { ctx, env throws(EvaluationError) in try Runtime.asString(try g(ctx, &env), l) }
    }
}
