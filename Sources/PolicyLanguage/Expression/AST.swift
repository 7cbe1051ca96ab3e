/// A node of the parsed expression. A class so the optimizer can patch the tree in
/// place, as expr's optimizer does; never shared outside one compilation.
final class Node {
    indirect enum Kind {
        case nilLit
        case bool(Bool)
        case int(Int)
        case float(Double)
        case string(String)
        case ident(String)
        /// `#` (name "") or `#index` inside a predicate.
        case pointer(String)
        case unary(String, Node)
        case binary(String, Node, Node)
        /// `base[index]`
        case member(Node, Node)
        case slice(Node, Node?, Node?)
        /// A custom function (has_tag, duration, since).
        case call(String, [Node])
        case builtin(String, [Node])
        case predicate(Node)
        case conditional(Node, Node, Node)
        case array([Node])
        /// `filter(a, p)[0]` / `[-1]`, rewritten like expr's optimizer (throws when empty).
        case find(Node, Node, last: Bool)
    }

    var kind: Kind
    /// Offset in Unicode scalars of the node's token.
    var pos: Int
    var type: SType = .unknown
    /// True when the runtime value is guaranteed to have exactly `type`'s representation.
    var exact = false
    /// An array literal of literals (expr folds it into a constant: no memory charge).
    var isConstant = false

    /// Height of the subtree, tracked at creation so over-deep trees are rejected
    /// before any recursive pass could exhaust the stack.
    let depth: Int

    init(_ kind: Kind, _ pos: Int) {
        self.kind = kind
        self.pos = pos
        self.depth = 1 + Optimizer.children(kind).reduce(0) { max($0, $1.depth) }
    }

    var isLiteral: Bool {
        switch kind {
        case .int, .float, .string, .bool: return true
        default: return false
        }
    }

    /// Structural rendering, used to compare predicate sources like expr's `String()`.
    var fingerprint: String {
        switch kind {
        case .nilLit: return "nil"
        case .bool(let b): return "\(b)"
        case .int(let i): return "\(i)"
        case .float(let f): return "f\(f)"
        case .string(let s): return goQuote(s)
        case .ident(let n): return n
        case .pointer(let n): return "#\(n)"
        case .unary(let op, let n): return "(\(op) \(n.fingerprint))"
        case .binary(let op, let l, let r): return "(\(l.fingerprint) \(op) \(r.fingerprint))"
        case .member(let b, let i): return "\(b.fingerprint)[\(i.fingerprint)]"
        case .slice(let b, let f, let t): return "\(b.fingerprint)[\(f?.fingerprint ?? ""):\(t?.fingerprint ?? "")]"
        case .call(let n, let a), .builtin(let n, let a): return "\(n)(\(a.map(\.fingerprint).joined(separator: ", ")))"
        case .predicate(let n): return "{\(n.fingerprint)}"
        case .conditional(let c, let a, let b): return "(\(c.fingerprint) ? \(a.fingerprint) : \(b.fingerprint))"
        case .array(let a): return "[\(a.map(\.fingerprint).joined(separator: ", "))]"
        case .find(let a, let p, let last): return "\(last ? "findLast" : "find")(\(a.fingerprint), \(p.fingerprint))"
        }
    }
}
