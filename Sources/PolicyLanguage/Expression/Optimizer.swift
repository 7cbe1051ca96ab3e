/// The tree rewrites of expr 1.17's optimizer that change observable behaviour:
/// constant folding (incl. compile-time `x % 0`, and `x and false` never evaluating
/// x), `in` over literal ranges, `filter(...)[0]`/`[-1]`, `len(filter)`, predicate
/// combination and `sum` rewrites. Locations follow expr's `ast.Patch`.
enum Optimizer {
    static func optimize(_ root: Node) throws(CheckError) {
        for _ in 0...1000 {
            var changed = false
            try fold(root, &changed)
            if !changed { break }
        }
        walk(root, inRange)
        walk(root, filterLen)
        walk(root, filterLast)
        walk(root, filterFirst)
        walk(root, predicateCombination)
        walk(root, sumArray)
        walk(root, sumMap)
    }

    static func children(_ n: Node) -> [Node] { children(n.kind) }

    static func children(_ kind: Node.Kind) -> [Node] {
        switch kind {
        case .nilLit, .bool, .int, .float, .string, .ident, .pointer: return []
        case .unary(_, let a), .predicate(let a): return [a]
        case .binary(_, let a, let b), .member(let a, let b): return [a, b]
        case .slice(let a, let b, let c): return [a] + [b, c].compactMap { $0 }
        case .call(_, let args), .builtin(_, let args), .array(let args): return args
        case .conditional(let a, let b, let c): return [a, b, c]
        case .find(let a, let b, _): return [a, b]
        }
    }

    private static func walk(_ n: Node, _ visit: (Node) -> Void) {
        for c in children(n) { walk(c, visit) }
        visit(n)
    }

    /// `patchWithType` with a literal: the node keeps its location.
    private static func patchLiteral(_ node: Node, _ kind: Node.Kind, _ type: SType, _ changed: inout Bool) {
        node.kind = kind
        node.type = type
        node.exact = true
        changed = true
    }

    /// `patchCopyType`: the node takes the new node's shape, keeps its type and location.
    private static func patchCopy(_ node: Node, _ new: Node) {
        node.kind = new.kind
        node.exact = new.exact
        node.isConstant = new.isConstant
    }

    private static func fold(_ node: Node, _ changed: inout Bool) throws(CheckError) {
        for c in children(node) { try fold(c, &changed) }
        switch node.kind {
        case .unary(let op, let x):
            switch (op, x.kind) {
            case ("-", .int(let v)): patchLiteral(node, .int(0 &- v), .int, &changed)
            case ("-", .float(let v)): patchLiteral(node, .float(-v), .float, &changed)
            case ("+", .int(let v)): patchLiteral(node, .int(v), .int, &changed)
            case ("+", .float(let v)): patchLiteral(node, .float(v), .float, &changed)
            case ("!", .bool(let b)), ("not", .bool(let b)): patchLiteral(node, .bool(!b), .bool, &changed)
            default: break
            }
        case .binary(let op, let l, let r):
            try foldBinary(node, op, l, r, &changed)
        case .array(let items):
            if !items.isEmpty && !node.isConstant && items.allSatisfy(\.isLiteral) {
                node.isConstant = true
                changed = true
            }
        case .builtin("filter", let args) where args.count == 2:
            if case .builtin("filter", let inner) = args[0].kind, inner.count == 2,
                case .predicate(let p1) = inner[1].kind, case .predicate(let p2) = args[1].kind
            {
                let both = Node(.binary("&&", p1, p2), 0)
                both.type = .bool
                both.exact = p2.exact && p2.type == .bool
                let pred = Node(.predicate(both), 0)
                pred.type = both.type
                patchCopy(node, Node(.builtin("filter", [inner[0], pred]), node.pos))
                changed = true
            }
        default:
            break
        }
    }

    private static func foldBinary(_ node: Node, _ op: String, _ l: Node, _ r: Node, _ changed: inout Bool) throws(CheckError) {
        func nums() -> (Double, Double)? {
            switch (l.kind, r.kind) {
            case (.int(let a), .float(let b)): return (Double(a), b)
            case (.float(let a), .int(let b)): return (a, Double(b))
            case (.float(let a), .float(let b)): return (a, b)
            default: return nil
            }
        }
        switch op {
        case "+", "-", "*":
            if case .int(let a) = l.kind, case .int(let b) = r.kind {
                let v = op == "+" ? a &+ b : (op == "-" ? a &- b : a &* b)
                patchLiteral(node, .int(v), .int, &changed)
            } else if let (a, b) = nums() {
                let v = op == "+" ? a + b : (op == "-" ? a - b : a * b)
                patchLiteral(node, .float(v), .float, &changed)
            } else if op == "+", case .string(let a) = l.kind, case .string(let b) = r.kind {
                patchLiteral(node, .string(a + b), .string, &changed)
            }
        case "/":
            if case .int(let a) = l.kind, case .int(let b) = r.kind {
                patchLiteral(node, .float(Double(a) / Double(b)), .float, &changed)
            } else if let (a, b) = nums() {
                patchLiteral(node, .float(a / b), .float, &changed)
            }
        case "%":
            if case .int(let a) = l.kind, case .int(let b) = r.kind {
                if b == 0 { throw CheckError(message: "integer divide by zero", pos: node.pos) }
                patchLiteral(node, .int(a.remainderReportingOverflow(dividingBy: b).partialValue), .int, &changed)
            }
        case "**", "^":
            if case .int(let a) = l.kind, case .int(let b) = r.kind {
                patchLiteral(node, .float(goPow(Double(a), Double(b))), .float, &changed)
            } else if let (a, b) = nums() {
                patchLiteral(node, .float(goPow(a, b)), .float, &changed)
            }
        case "and", "&&", "or", "||":
            let isAnd = op == "and" || op == "&&"
            var a: Bool?
            var b: Bool?
            if case .bool(let x) = l.kind { a = x }
            if case .bool(let x) = r.kind { b = x }
            if a == isAnd {
                patchCopy(node, r)
                changed = true
            } else if b == isAnd {
                patchCopy(node, l)
                changed = true
            } else if a == !isAnd || b == !isAnd {
                patchLiteral(node, .bool(!isAnd), .bool, &changed)
            }
        case "==":
            switch (l.kind, r.kind) {
            case (.int(let a), .int(let b)): patchLiteral(node, .bool(a == b), .bool, &changed)
            case (.string(let a), .string(let b)): patchLiteral(node, .bool(goStringEqual(a, b)), .bool, &changed)
            case (.bool(let a), .bool(let b)): patchLiteral(node, .bool(a == b), .bool, &changed)
            default: break
            }
        default:
            break
        }
    }

    /// `x in 1..10` (x typed int, literal bounds) becomes `x >= 1 and x <= 10`; the
    /// new comparisons have no location, like expr's.
    private static func inRange(_ node: Node) {
        guard case .binary("in", let x, let range) = node.kind, x.type == .int,
            case .binary("..", let from, let to) = range.kind,
            case .int = from.kind, case .int = to.kind
        else { return }
        let ge = Node(.binary(">=", x, from), 0)
        let le = Node(.binary("<=", x, to), 0)
        for n in [ge, le] {
            n.type = .unknown
            n.exact = true
        }
        ge.type = .bool
        le.type = .bool
        let and = Node(.binary("and", ge, le), node.pos)
        and.exact = true
        patchCopy(node, and)
    }

    private static func filterLen(_ node: Node) {
        guard case .builtin("len", let args) = node.kind, args.count == 1,
            case .builtin("filter", let fargs) = args[0].kind, fargs.count == 2
        else { return }
        let count = Node(.builtin("count", fargs), node.pos)
        count.exact = true
        patchCopy(node, count)
    }

    private static func filterFirst(_ node: Node) { filterIndex(node, 0) }
    private static func filterLast(_ node: Node) { filterIndex(node, -1) }

    private static func filterIndex(_ node: Node, _ which: Int) {
        guard case .member(let base, let index) = node.kind, case .int(which) = index.kind,
            case .builtin("filter", let fargs) = base.kind, fargs.count == 2
        else { return }
        patchCopy(node, Node(.find(fargs[0], fargs[1], last: which == -1), node.pos))
        node.exact = false
    }

    private static func predicateCombination(_ node: Node) {
        guard case .binary(let op, let l, let r) = node.kind,
            ["and", "&&", "or", "||"].contains(op),
            case .builtin(let name, let largs) = l.kind,
            case .builtin(name, let rargs) = r.kind,
            largs.count == 2, rargs.count == 2,
            case .predicate(let lp) = largs[1].kind, case .predicate(let rp) = rargs[1].kind
        else { return }
        let isAnd = op == "and" || op == "&&"
        let combined: String
        switch name {
        case "all" where isAnd: combined = op
        case "any" where !isAnd: combined = op
        case "none" where isAnd: combined = op == "and" ? "or" : "||"
        default: return
        }
        guard largs[0].type == rargs[0].type, largs[0].fingerprint == rargs[0].fingerprint else { return }
        let inner = Node(.binary(combined, lp, rp), 0)
        inner.type = .bool
        inner.exact = rp.exact && rp.type == .bool
        predicateCombination(inner)
        let pred = Node(.predicate(inner), 0)
        pred.type = .bool
        patchCopy(node, Node(.builtin(name, [largs[0], pred]), node.pos))
        node.exact = true
    }

    private static func sumArray(_ node: Node) {
        guard case .builtin("sum", let args) = node.kind, args.count == 1,
            case .array(let items) = args[0].kind, !args[0].isConstant, items.count >= 2
        else { return }
        func fold(_ items: ArraySlice<Node>) -> Node {
            let n: Node
            if items.count > 2 {
                n = Node(.binary("+", items.first!, fold(items.dropFirst())), 0)
            } else {
                n = Node(.binary("+", items.first!, items.last!), 0)
            }
            n.type = .unknown
            n.exact = false
            return n
        }
        patchCopy(node, fold(items[...]))
    }

    private static func sumMap(_ node: Node) {
        guard case .builtin("sum", let args) = node.kind, args.count == 1,
            case .builtin("map", let margs) = args[0].kind, margs.count == 2
        else { return }
        patchCopy(node, Node(.builtin("sum", margs), node.pos))
        node.exact = false
    }
}
