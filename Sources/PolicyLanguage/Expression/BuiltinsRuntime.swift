/// Runtime behaviour of the builtins (expr's builtin package and predicate loops).
extension Compiler {
    func builtin(_ n: Node, _ name: String, _ args: [Node], _ l: Loc) throws(CheckError) -> VFn {
        let f = try builtinClosure(n, name, args, l)
        // Pure builtins of literals (`lower('OPS')`, `int('42')`) run once, here; if that
        // fails the call stays as is, so the error still happens at evaluation like expr.
        let literalArgs = args.allSatisfy { $0.isLiteral || $0.isConstant }
        if literalArgs && Builtins.supported.contains(name) {
            var env = Env()
            if let v = try? f(EvalContext(), &env) { return { _, _ in v } }
        }
        return f
    }

    private func builtinClosure(_ n: Node, _ name: String, _ args: [Node], _ l: Loc) throws(CheckError) -> VFn {
        switch name {
        case "all", "any", "none", "one", "filter", "map", "count", "sum":
            return try predicateBuiltin(name, args, l)
        default:
            break
        }
        let fs = try args.map { (a: Node) throws(CheckError) -> VFn in try value(a) }
        switch name {
        case "len":
            let f = fs[0]
            return { ctx, env throws(EvaluationError) in .int(try Runtime.len(try f(ctx, &env), l)) }
        case "abs":
            let f = fs[0]
            return { ctx, env throws(EvaluationError) in
                let v = try f(ctx, &env)
                switch v {
                case .int(let i): return .int(i < 0 ? 0 &- i : i)
                case .float(let d): return .float(d < 0 ? -d : d)
                default: throw l.error("invalid argument for abs (type \(v.goTypeName))")
                }
            }
        case "int":
            let f = fs[0]
            return { ctx, env throws(EvaluationError) in
                let v = try f(ctx, &env)
                switch v {
                case .int: return v
                case .float(let d): return .int(goFloatToInt(d))
                case .string(let s):
                    guard case .success(let i) = goParseInt(s, base: 10) else {
                        throw l.error("invalid operation: int(\(s))")
                    }
                    return .int(i)
                default: throw l.error("invalid operation: int(\(v.goTypeName))")
                }
            }
        case "float":
            let f = fs[0]
            return { ctx, env throws(EvaluationError) in
                let v = try f(ctx, &env)
                switch v {
                case .int(let i): return .float(Double(i))
                case .float: return v
                case .string(let s):
                    guard case .success(let d) = goParseFloat(s) else {
                        throw l.error("invalid operation: float(\(s))")
                    }
                    return .float(d)
                default: throw l.error("invalid operation: float(\(v.goTypeName))")
                }
            }
        case "string":
            let f = fs[0]
            return { ctx, env throws(EvaluationError) in .string(try f(ctx, &env).goFormatted) }
        case "lower", "upper":
            let f = fs[0]
            let up = name == "upper"
            return { ctx, env throws(EvaluationError) in
                let s = try Runtime.asString(try f(ctx, &env), l)
                var out = String.UnicodeScalarView()
                for r in s.unicodeScalars { out.append(up ? simpleUpper(r) : simpleLower(r)) }
                return .string(String(out))
            }
        case "trim", "trimPrefix", "trimSuffix":
            return try trimBuiltin(name, fs, l)
        case "split":
            return { ctx, env throws(EvaluationError) in
                var vals: [Value] = []
                for f in fs { vals.append(try f(ctx, &env)) }
                let s = try Runtime.asString(vals[0], l)
                let sep = try Runtime.asString(vals[1], l)
                let n = vals.count == 3 ? try Runtime.toInt(vals[2], l) : -1
                return .array(ArrayValue(strings: goSplit(s, sep, n)))
            }
        case "join":
            return { ctx, env throws(EvaluationError) in
                var vals: [Value] = []
                for f in fs { vals.append(try f(ctx, &env)) }
                let glue = vals.count == 2 ? try Runtime.asString(vals[1], l) : ""
                guard case .array(let arr) = vals[0] else {
                    throw l.error("invalid argument for join (type \(vals[0].goTypeName))")
                }
                switch arr.storage {
                case .strings(let s): return .string(s.joined(separator: glue))
                case .values(let vs):
                    var parts: [String] = []
                    for v in vs { parts.append(try Runtime.asString(v, l)) }
                    return .string(parts.joined(separator: glue))
                case .range: throw l.error("invalid argument for join (type []int)")
                }
            }
        case "indexOf":
            return { ctx, env throws(EvaluationError) in
                let a = try fs[0](ctx, &env)
                let b = try fs[1](ctx, &env)
                let s = try Runtime.asString(a, l)
                return .int(goIndex(s, try Runtime.asString(b, l)))
            }
        case "max", "min":
            let isMax = name == "max"
            return { ctx, env throws(EvaluationError) in
                var vals: [Value] = []
                for f in fs { vals.append(try f(ctx, &env)) }
                return try minMax(name, isMax, vals, l)
            }
        case "first", "last":
            let f = fs[0]
            let isFirst = name == "first"
            return { ctx, env throws(EvaluationError) in
                let v = try f(ctx, &env)
                switch v {
                case .array(let a):
                    if a.count == 0 { return .null }
                    return a[isFirst ? 0 : a.count - 1]
                case .string(let s):
                    guard let b = isFirst ? s.utf8.first : s.utf8.last else { return .null }
                    return .int(Int(b))
                default:
                    return .null
                }
            }
        default:
            throw CheckError(message: "unknown builtin \(name)", pos: 0)
        }
    }

    private func trimBuiltin(_ name: String, _ fs: [VFn], _ l: Loc) throws(CheckError) -> VFn {
        return { ctx, env throws(EvaluationError) in
            var vals: [Value] = []
            for f in fs { vals.append(try f(ctx, &env)) }
            let s = try Runtime.asString(vals[0], l)
            switch name {
            case "trim":
                if vals.count == 1 {
                    return .string(goTrim(s) { isGoSpace($0) })
                }
                let cut = Set(try Runtime.asString(vals[1], l).unicodeScalars)
                return .string(goTrim(s) { cut.contains($0) })
            case "trimPrefix":
                let p = vals.count == 2 ? try Runtime.asString(vals[1], l) : " "
                if goHasPrefix(s, p) {
                    return .string(String(decoding: Array(s.utf8.dropFirst(p.utf8.count)), as: UTF8.self))
                }
                return .string(s)
            default:
                let p = vals.count == 2 ? try Runtime.asString(vals[1], l) : " "
                if goHasSuffix(s, p) {
                    return .string(String(decoding: Array(s.utf8.dropLast(p.utf8.count)), as: UTF8.self))
                }
                return .string(s)
            }
        }
    }

    private func predicateBuiltin(_ name: String, _ args: [Node], _ l: Loc) throws(CheckError) -> VFn {
        let af = try value(args[0])
        let pf: VFn? = args.count == 2 ? try value(args[1]) : nil
        return { ctx, env throws(EvaluationError) in
            let arr = try Runtime.arrayOperand(try af(ctx, &env), l)
            let saved = env.scope
            let n = arr.count
            var count = 0
            var collected: [Value] = []
            var acc = Value.int(0)
            for i in 0..<n {
                try env.tick(l)
                let e = arr[i]
                env.scope = Env.Scope(element: e, index: i)
                let v = try pf?(ctx, &env) ?? e
                switch name {
                case "all":
                    if !(try Runtime.asBool(v, l)) {
                        env.scope = saved
                        return .bool(false)
                    }
                case "none":
                    if try Runtime.asBool(v, l) {
                        env.scope = saved
                        return .bool(false)
                    }
                case "any":
                    if try Runtime.asBool(v, l) {
                        env.scope = saved
                        return .bool(true)
                    }
                case "one", "count":
                    if try Runtime.asBool(v, l) { count += 1 }
                case "filter":
                    if try Runtime.asBool(v, l) {
                        count += 1
                        collected.append(e)
                    }
                case "map":
                    collected.append(v)
                default:  // sum
                    acc = try Runtime.arith(v, acc, .add, l)
                }
            }
            env.scope = saved
            switch name {
            case "all", "none": return .bool(true)
            case "any": return .bool(false)
            case "one": return .bool(count == 1)
            case "count": return .int(count)
            case "filter", "map":
                try env.memGrow(collected.count, l)
                return .array(ArrayValue(values: collected))
            default: return acc
            }
        }
    }
}

/// expr's `minMax`: flattens arrays, compares numerically, keeps the first of equals.
private func minMax(_ name: String, _ isMax: Bool, _ args: [Value], _ l: Loc) throws(EvaluationError) -> Value {
    var val: Value = .null
    func consider(_ e: Value) throws(EvaluationError) {
        if val.isNil {
            val = e
            return
        }
        let replace = try Runtime.compare(val, e, isMax ? .less : .more, l)
        if replace { val = e }
    }
    for arg in args {
        switch arg {
        case .array(let a):
            for i in 0..<a.count {
                let elem = try minMax(name, isMax, [a[i]], l)
                switch elem {
                case .int, .float: try consider(elem)
                default: throw l.error("invalid argument for \(name) (type \(elem.goTypeName))")
                }
            }
        case .int, .float:
            try consider(arg)
        default:
            if args.count == 1 { return arg }
            throw l.error("invalid argument for \(name) (type \(arg.goTypeName))")
        }
    }
    return val
}
