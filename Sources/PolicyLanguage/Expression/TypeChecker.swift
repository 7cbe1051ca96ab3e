/// A compile-time error at a rune offset (converted to line:column by the caller).
struct CheckError: Error {
    var message: String
    var pos: Int
}

/// Static type checker: a port of expr 1.17's checker on the policy subset. Annotates
/// every node with its type and whether its runtime representation is guaranteed.
struct TypeChecker {
    let variables: [String: SType]
    private var scopes: [(collection: SType, exact: Bool, hasIndex: Bool)] = []

    init(variables: [String: SType]) { self.variables = variables }

    private func fail(_ node: Node, _ message: String) -> CheckError {
        CheckError(message: message, pos: node.pos)
    }

    @discardableResult
    mutating func visit(_ node: Node) throws(CheckError) -> SType {
        let (t, exact) = try visitKind(node)
        node.type = t
        node.exact = exact
        return t
    }

    private mutating func visitKind(_ node: Node) throws(CheckError) -> (SType, Bool) {
        switch node.kind {
        case .nilLit: return (.nilType, true)
        case .bool: return (.bool, true)
        case .int: return (.int, true)
        case .float: return (.float, true)
        case .string: return (.string, true)
        case .ident(let name):
            if let t = variables[name] { return (t, true) }
            if Builtins.custom[name] != nil || Builtins.supported.contains(name) || Builtins.predicates.contains(name) {
                throw fail(node, "unsupported: \(name) used as a value")
            }
            if name.hasPrefix("$") { throw fail(node, "unsupported: \(name) is outside the policy expression subset") }
            throw fail(node, "unknown name \(name)")
        case .pointer(let name):
            guard let scope = scopes.last else { throw fail(node, "cannot use pointer accessor outside predicate") }
            if name.isEmpty {
                if scope.collection.isUnknown { return (.unknown, false) }
                return (scope.collection.elem, scope.exact && scope.collection.elemExact)
            }
            if name == "index" && scope.hasIndex { return (.int, true) }
            throw fail(node, "unknown pointer #\(name)")
        case .unary(let op, let operand):
            let t = try visit(operand)
            switch op {
            case "!", "not":
                if t.isBool || t.isUnknown { return (.bool, true) }
            default:
                if t.isNumber { return (t, operand.exact) }
                if t.isUnknown { return (.unknown, false) }
            }
            throw fail(node, "invalid operation: \(op) (mismatched type \(t.name))")
        case .binary(let op, let l, let r):
            return try visitBinary(node, op, l, r)
        case .member(let base, let index):
            let b = try visit(base)
            let p = try visit(index)
            if b.isUnknown { return (.unknown, false) }
            if b.isArray {
                if !p.isInteger && !p.isUnknown {
                    throw fail(index, "array elements can only be selected using an integer (got \(p.name))")
                }
                return (b.elem, b.elemExact && base.exact)
            }
            throw fail(node, "type \(b.name)[\(p.name)] is undefined")
        case .slice(let base, let from, let to):
            let b = try visit(base)
            if b.isUnknown { return (.unknown, false) }
            guard b.isString || b.isArray else { throw fail(node, "cannot slice \(b.name)") }
            if let from {
                let f = try visit(from)
                if !f.isInteger && !f.isUnknown { throw fail(from, "non-integer slice index \(f.name)") }
            }
            if let to {
                let t = try visit(to)
                if !t.isInteger && !t.isUnknown { throw fail(to, "non-integer slice index \(t.name)") }
            }
            return (b, base.exact)
        case .call(let name, let args):
            guard let sig = Builtins.custom[name] else { throw fail(node, "unknown name \(name)") }
            if let err = try checkArguments(name, sig, args, node) { throw err }
            return (sig.ret, true)
        case .builtin(let name, let args):
            return try visitBuiltin(node, name, args)
        case .predicate(let inner):
            let t = try visit(inner)
            return (t, inner.exact)
        case .conditional(let cond, let e1, let e2):
            let c = try visit(cond)
            if !c.isBool && !c.isUnknown {
                throw fail(cond, "non-bool expression (type \(c.name)) used as condition")
            }
            let t1 = try visit(e1)
            let t2 = try visit(e2)
            let exact = e1.exact && e2.exact && t1 == t2
            if t1.isNil && !t2.isNil { return (t2, false) }
            if !t1.isNil && t2.isNil { return (t1, false) }
            if t1.isNil && t2.isNil { return (.nilType, true) }
            if t1.assignable(to: t2) { return (t1, exact) }
            return (.unknown, false)
        case .array(let items):
            var prev = SType.unknown
            var same = true
            var allExact = true
            var first: SType?
            for (i, item) in items.enumerated() {
                let t = try visit(item)
                if i > 0 && t.kind != prev.kind { same = false }
                if let f = first, f != t { allExact = false }
                if first == nil { first = t }
                if !item.exact { allExact = false }
                prev = t
            }
            if same { return (.array(prev, exactElems: allExact && !prev.isUnknown && !prev.isNil), true) }
            return (.anyArray, true)
        case .find:
            return (node.type, false)
        }
    }

    private mutating func visitBinary(_ node: Node, _ op: String, _ ln: Node, _ rn: Node) throws(CheckError) -> (SType, Bool) {
        let l = try visit(ln)
        let r = try visit(rn)
        func or(_ preds: (SType) -> Bool...) -> Bool {
            if l.isUnknown && r.isUnknown { return true }
            if l.isUnknown && preds.contains(where: { $0(r) }) { return true }
            if r.isUnknown && preds.contains(where: { $0(l) }) { return true }
            return false
        }
        func combined() -> (SType, Bool) {
            if l.isUnknown || r.isUnknown { return (.unknown, false) }
            return (l.isFloat || r.isFloat ? .float : .int, ln.exact && rn.exact)
        }
        switch op {
        case "==", "!=":
            if SType.comparable(l, r) { return (.bool, true) }
        case "or", "||", "and", "&&":
            if (l.isBool && r.isBool) || or({ $0.isBool }) { return (.bool, rn.exact && r.isBool) }
        case "<", ">", ">=", "<=":
            if (l.isNumber && r.isNumber) || (l.isString && r.isString) || or({ $0.isNumber }, { $0.isString }) {
                return (.bool, true)
            }
        case "-", "*", "+":
            if l.isNumber && r.isNumber { return combined() }
            if op == "+" && l.isString && r.isString { return (.string, ln.exact && rn.exact) }
            if op == "+" ? or({ $0.isNumber }, { $0.isString }) : or({ $0.isNumber }) { return (.unknown, false) }
        case "/", "**", "^":
            if (l.isNumber && r.isNumber) || or({ $0.isNumber }) { return (.float, true) }
        case "%":
            if (l.isInteger && r.isInteger) || or({ $0.isInteger }) { return (.int, true) }
        case "in":
            if r.isArray {
                if !SType.comparable(l, r.elem) {
                    throw fail(node, "cannot use \(l.name) as type \(r.elem.name) in array")
                }
                return (.bool, true)
            }
            if l.isUnknown && (r.isString || r.isArray) { return (.bool, true) }
            if r.isUnknown { return (.bool, true) }
        case "matches":
            if case .string(let pattern) = rn.kind {
                do {
                    _ = try RE2Regex(pattern)
                } catch {
                    throw fail(node, error.message)
                }
            }
            if (l.isString && r.isString) || or({ $0.isString }) { return (.bool, true) }
        case "contains", "startsWith", "endsWith":
            if (l.isString && r.isString) || or({ $0.isString }) { return (.bool, true) }
        case "..":
            if (l.isInteger && r.isInteger) || or({ $0.isInteger }) { return (.array(.int, exactElems: true), true) }
        case "??":
            let exact = ln.exact && rn.exact && l == r
            if l.isNil && !r.isNil { return (r, rn.exact) }
            if !l.isNil && r.isNil { return (l, false) }
            if l.isNil && r.isNil { return (.nilType, true) }
            if r.assignable(to: l) { return (l, exact) }
            return (.unknown, false)
        default:
            throw fail(node, "unknown operator (\(op))")
        }
        throw fail(node, "invalid operation: \(op) (mismatched types \(l.name) and \(r.name))")
    }

    // MARK: builtins

    private mutating func visitCollection(_ name: String, _ arg: Node) throws(CheckError) -> SType {
        let c = try visit(arg)
        if !c.isArray && !c.isUnknown {
            throw fail(arg, "builtin \(name) takes only array (got \(c.name))")
        }
        return c
    }

    /// Visits a predicate in the collection's scope; returns its output type, or nil
    /// when the predicate yields nothing (a nil body).
    private mutating func visitPredicate(_ pred: Node, _ collection: Node, hasIndex: Bool = false) throws(CheckError) -> SType? {
        scopes.append((collection.type, collection.exact, hasIndex))
        let t = try visit(pred)
        scopes.removeLast()
        if t.isUnknown { return .any }
        if t.isNil { return nil }
        return t
    }

    private func requireBoolPredicate(_ out: SType?, _ pred: Node) throws(CheckError) {
        guard let out else { throw fail(pred, "predicate should has one input and one output param") }
        if !out.isBool && !out.isUnknown {
            throw fail(pred, "predicate should return boolean (got \(out.reflectName))")
        }
    }

    private mutating func visitBuiltin(_ node: Node, _ name: String, _ args: [Node]) throws(CheckError) -> (SType, Bool) {
        switch name {
        case "all", "none", "any", "one":
            _ = try visitCollection(name, args[0])
            try requireBoolPredicate(try visitPredicate(args[1], args[0]), args[1])
            return (.bool, true)
        case "filter":
            let c = try visitCollection(name, args[0])
            try requireBoolPredicate(try visitPredicate(args[1], args[0]), args[1])
            if c.isUnknown { return (.anyArray, true) }
            return (.array(c.elem, exactElems: c.elemExact && args[0].exact), true)
        case "map":
            _ = try visitCollection(name, args[0])
            guard let out = try visitPredicate(args[1], args[0], hasIndex: true) else {
                return (.array(.nilType, exactElems: true), true)
            }
            return (.array(out == .any ? .unknown : out, exactElems: args[1].exact && !out.isUnknown), true)
        case "count":
            _ = try visitCollection(name, args[0])
            if args.count == 2 {
                try requireBoolPredicate(try visitPredicate(args[1], args[0]), args[1])
            }
            return (.int, true)
        case "sum":
            let c = try visitCollection(name, args[0])
            if args.count == 2 {
                guard let out = try visitPredicate(args[1], args[0]) else {
                    throw fail(args[1], "predicate should has one input and one output param")
                }
                let t: SType = out == .any ? .any : out
                return (t, t == .int && args[1].exact)
            }
            if c.isUnknown { return (.unknown, false) }
            return (c.elem, c.elem == .int && c.elemExact && args[0].exact)
        default:
            break
        }
        if let overloads = Builtins.typed[name] {
            var lastErr: CheckError?
            for sig in overloads {
                if let err = try checkArguments(name, sig, args, node) {
                    lastErr = err
                    continue
                }
                return (sig.ret, true)
            }
            throw lastErr!
        }
        // Validate-style builtins: arguments first, then the validator.
        var types: [SType] = []
        for arg in args { types.append(try visit(arg)) }
        func kindOf(_ i: Int) -> SType.Kind { types[i].validateKind }
        switch name {
        case "len":
            guard types.count == 1 else { throw fail(node, "invalid number of arguments (expected 1, got \(types.count))") }
            switch kindOf(0) {
            case .slice, .string, .interface: return (.int, true)
            default: throw fail(node, "invalid argument for len (type \(types[0].reflectName))")
            }
        case "abs":
            guard types.count == 1 else { throw fail(node, "invalid number of arguments (expected 1, got \(types.count))") }
            switch kindOf(0) {
            case .int, .float: return (types[0], args[0].exact)
            case .interface: return (.any, false)
            default: throw fail(node, "invalid argument for abs (type \(types[0].reflectName))")
            }
        case "int", "float":
            guard types.count == 1 else { throw fail(node, "invalid number of arguments (expected 1, got \(types.count))") }
            switch kindOf(0) {
            case .int, .float, .string, .interface: return (name == "int" ? .int : .float, true)
            default: throw fail(node, "invalid argument for \(name) (type \(types[0].reflectName))")
            }
        case "max", "min":
            if types.isEmpty { throw fail(node, "not enough arguments to call \(name)") }
            for t in types {
                switch t.validateKind {
                case .interface, .slice: return (.any, false)
                case .int, .float: continue
                default: throw fail(node, "invalid argument for \(name) (type \(t.reflectName))")
                }
            }
            // expr types the result as the first argument; the value may be any of them.
            let allSame = types.allSatisfy { $0 == types[0] } && args.allSatisfy(\.exact)
            return (types[0] == .unknown ? .any : types[0], allSame)
        case "first", "last":
            guard types.count == 1 else { throw fail(node, "invalid number of arguments (expected 1, got \(types.count))") }
            switch kindOf(0) {
            case .interface: return (.any, false)
            case .slice: return (types[0] == .stringSlice ? .string : .any, false)
            default: throw fail(node, "cannot get \(name) element from \(types[0].reflectName)")
            }
        default:
            throw fail(node, "unknown builtin \(name)")
        }
    }

    /// expr's `checkArguments`: returns a non-thrown error for arity/assignability
    /// problems (so overloads can be tried), throws for errors inside arguments.
    private mutating func checkArguments(_ name: String, _ sig: Builtins.Signature, _ args: [Node], _ node: Node) throws(CheckError)
        -> CheckError?
    {
        var err: CheckError?
        if args.count > sig.params.count { err = fail(node, "too many arguments to call \(name)") }
        if args.count < sig.params.count { err = fail(node, "not enough arguments to call \(name)") }
        if let err {
            for arg in args { try visit(arg) }
            return err
        }
        for (i, arg) in args.enumerated() {
            let t = try visit(arg)
            let param = sig.params[i]
            if param.isFloat && t.isInteger {
                convertIntegerLiteralsToFloat(arg)
                continue
            }
            if t.isNil {
                if param == .any { continue }
                return fail(arg, "cannot use nil as argument (type \(param.reflectName)) to call \(name)")
            }
            if !t.assignable(to: param) && !t.isUnknown {
                return fail(arg, "cannot use \(t.name) as argument (type \(param.reflectName)) to call \(name) ")
            }
        }
        return nil
    }

    /// expr's `traverseAndReplaceIntegerNodesWithFloatNodes`: integer literals passed
    /// to a float parameter become floats; other integer operands stay ints at runtime.
    private func convertIntegerLiteralsToFloat(_ node: Node) {
        switch node.kind {
        case .int(let v):
            node.kind = .float(Double(v))
            node.type = .float
            node.exact = true
        case .unary(_, let inner):
            convertIntegerLiteralsToFloat(inner)
            node.exact = false
        case .binary(let op, let l, let r) where op == "+" || op == "-" || op == "*":
            convertIntegerLiteralsToFloat(l)
            convertIntegerLiteralsToFloat(r)
            node.exact = false
        default:
            break
        }
    }
}
