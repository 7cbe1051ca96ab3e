/// Operator tables of expr's parser (parser/operator).
enum Operators {
    static let unary: [String: Int] = ["not": 50, "!": 50, "-": 90, "+": 90]
    static let binary: [String: (prec: Int, rightAssoc: Bool)] = [
        "|": (0, false), "or": (10, false), "||": (10, false), "and": (15, false), "&&": (15, false),
        "==": (20, false), "!=": (20, false), "<": (20, false), ">": (20, false), ">=": (20, false),
        "<=": (20, false), "in": (20, false), "matches": (20, false), "contains": (20, false),
        "startsWith": (20, false), "endsWith": (20, false), "..": (25, false), "+": (30, false),
        "-": (30, false), "*": (60, false), "/": (60, false), "%": (60, false), "**": (100, true),
        "^": (100, true), "??": (500, false),
    ]
    /// Chained comparisons (`1 < x < 3`); in expr 1.17 only the ordering operators chain.
    static func isComparison(_ op: String) -> Bool { op == "<" || op == ">" || op == ">=" || op == "<=" }
    static func allowedNegateSuffix(_ op: String) -> Bool {
        ["contains", "matches", "startsWith", "endsWith", "in"].contains(op)
    }
}

/// Builtins of expr that take a predicate, and their argument shapes.
private let predicateBuiltins: [String: [(predicate: Bool, optional: Bool)]] = [
    "all": [(false, false), (true, false)], "none": [(false, false), (true, false)],
    "any": [(false, false), (true, false)], "one": [(false, false), (true, false)],
    "filter": [(false, false), (true, false)], "map": [(false, false), (true, false)],
    "count": [(false, false), (true, true)], "sum": [(false, false), (true, true)],
]
/// expr predicate builtins outside the policy subset.
private let unsupportedPredicateBuiltins: Set<String> = [
    "find", "findIndex", "findLast", "findLastIndex", "groupBy", "sortBy", "reduce",
]

/// Recursive-descent parser, a port of expr 1.17's parser on the policy subset.
struct Parser {
    private let tokens: [Token]
    private var index = 0
    private var depth = 0
    /// Recursion depth of `parseExpression`, bounded by `maxNesting` so that no input runs the stack out.
    private var nesting = 0
    private let maxNesting: Int

    private var cur: Token { tokens[index] }

    init(tokens: [Token], maxNesting: Int = Parser.maxNesting) {
        self.tokens = tokens
        self.maxNesting = maxNesting
    }

    /// Limits that keep every recursive pass (here and after) far from the stack's end:
    /// `maxNesting` bounds the parser's recursion (the ceiling of `ExpressionLimits.maxNesting`),
    /// `maxDepth` the height of the tree that operator chains build in a loop.
    static let maxNesting = 128
    static let maxDepth = 400

    static func parse(_ tokens: [Token], maxNesting: Int = Parser.maxNesting) throws(SyntaxError) -> Node {
        var p = Parser(tokens: tokens, maxNesting: min(maxNesting, Parser.maxNesting))
        let node = try p.parseSequenceExpression()
        if p.cur.kind != .eof {
            throw p.unexpected(p.cur)
        }
        if node.depth > maxDepth {
            throw SyntaxError(message: "expression is too deeply nested (more than \(maxDepth) levels)", pos: 0)
        }
        return node
    }

    private mutating func advance() {
        if index < tokens.count - 1 { index += 1 }
    }

    private func unexpected(_ t: Token) -> SyntaxError {
        SyntaxError(message: "unexpected token \(t.display)", pos: t.pos)
    }

    private func unsupported(_ what: String, _ t: Token) -> SyntaxError {
        SyntaxError(message: "unsupported: \(what) is outside the policy expression subset", pos: t.pos)
    }

    private mutating func expect(_ kind: TokenKind, _ value: String) throws(SyntaxError) {
        if cur.kind == kind && cur.value == value {
            advance()
            return
        }
        throw unexpected(cur)
    }

    private mutating func parseSequenceExpression() throws(SyntaxError) -> Node {
        let node = try parseExpression(0)
        if cur.isOp(";") {
            let semi = cur
            advance()
            if cur.kind == .eof { return node }
            throw unsupported("the sequence operator ';'", semi)
        }
        return node
    }

    private mutating func parseExpression(_ precedence: Int) throws(SyntaxError) -> Node {
        nesting += 1
        defer { nesting -= 1 }
        if nesting > maxNesting {
            throw SyntaxError(message: "expression is too deeply nested (more than \(maxNesting) levels)", pos: cur.pos)
        }
        if precedence == 0 && cur.isOp("let") { throw unsupported("'let'", cur) }
        if precedence == 0 && cur.isOp("if") { throw unsupported("'if'", cur) }

        var left = try parsePrimary()
        var prevOperator = ""
        var opToken = cur
        while opToken.kind == .op {
            let negate = opToken.isOp("not")
            var notToken = opToken
            if negate {
                let backup = index
                advance()
                if Operators.allowedNegateSuffix(cur.value) {
                    if let op = Operators.binary[cur.value], op.prec >= precedence {
                        notToken = cur
                        opToken = cur
                    } else {
                        index = backup
                        break
                    }
                } else {
                    throw unexpected(cur)
                }
            }
            guard let op = Operators.binary[opToken.value], op.prec >= precedence else { break }
            advance()
            if opToken.value == "|" { throw unsupported("the pipe operator '|'", opToken) }
            if prevOperator == "??" && opToken.value != "??" {
                throw SyntaxError(
                    message: "Operator (\(opToken.value)) and coalesce expressions (??) cannot be mixed. Wrap either by parentheses.",
                    pos: opToken.pos)
            }
            if Operators.isComparison(opToken.value) {
                left = try parseComparison(left, opToken, op.prec)
            } else {
                let right = try parseExpression(op.rightAssoc ? op.prec : op.prec + 1)
                left = Node(.binary(opToken.value, left, right), opToken.pos)
                if negate {
                    left = Node(.unary("not", left), notToken.pos)
                }
            }
            prevOperator = opToken.value
            opToken = cur
        }
        if precedence == 0 {
            left = try parseConditional(left)
        }
        return left
    }

    private mutating func parseComparison(_ leftIn: Node, _ tokenIn: Token, _ precedence: Int) throws(SyntaxError) -> Node {
        var left = leftIn
        var token = tokenIn
        var root: Node?
        while true {
            let comparator = try parseExpression(precedence + 1)
            let cmp = Node(.binary(token.value, left, comparator), token.pos)
            if let r = root {
                root = Node(.binary("&&", r, cmp), token.pos)
            } else {
                root = cmp
            }
            left = comparator
            token = cur
            if !(token.kind == .op && Operators.isComparison(token.value)) { break }
            advance()
        }
        return root!
    }

    private mutating func parseConditional(_ nodeIn: Node) throws(SyntaxError) -> Node {
        var node = nodeIn
        while cur.isOp("?") {
            advance()
            let e1: Node
            let e2: Node
            if !cur.isOp(":") {
                e1 = try parseExpression(0)
                try expect(.op, ":")
                e2 = try parseExpression(0)
            } else {
                advance()
                e1 = node
                e2 = try parseExpression(0)
            }
            node = Node(.conditional(node, e1, e2), cur.pos)
        }
        return node
    }

    private mutating func parsePrimary() throws(SyntaxError) -> Node {
        let token = cur
        if token.kind == .op, let prec = Operators.unary[token.value] {
            advance()
            let expr = try parseExpression(prec)
            return try parsePostfix(Node(.unary(token.value, expr), token.pos))
        }
        if token.isBracket("(") {
            advance()
            let expr = try parseSequenceExpression()
            try expect(.bracket, ")")
            return try parsePostfix(expr)
        }
        if depth > 0 {
            if token.isOp("#") {
                advance()
                var name = ""
                if cur.kind == .identifier {
                    name = cur.value
                    advance()
                }
                return try parsePostfix(Node(.pointer(name), token.pos))
            }
            if token.isOp(".") { throw unsupported("field access", token) }
        }
        if token.isOp("::") { throw unsupported("'::'", token) }
        return try parseSecondary()
    }

    private mutating func parseSecondary() throws(SyntaxError) -> Node {
        let token = cur
        let node: Node
        switch token.kind {
        case .identifier:
            advance()
            switch token.value {
            case "true": return Node(.bool(true), token.pos)
            case "false": return Node(.bool(false), token.pos)
            case "nil": return Node(.nilLit, token.pos)
            default:
                if cur.isBracket("(") {
                    node = try parseCall(token)
                } else {
                    node = Node(.ident(token.value), token.pos)
                }
            }
        case .number:
            advance()
            return try parseNumber(token)
        case .string:
            advance()
            node = Node(.string(token.value), token.pos)
        default:
            if token.isBracket("[") {
                node = try parseArray(token)
            } else if token.isBracket("{") {
                throw unsupported("map literals", token)
            } else {
                throw unexpected(token)
            }
        }
        return try parsePostfix(node)
    }

    private func parseNumber(_ token: Token) throws(SyntaxError) -> Node {
        let value = String(token.value.unicodeScalars.filter { $0 != "_" })
        let lower = value.lowercased()
        // expr reports literal errors at the token after the number.
        let errPos = cur.pos
        func intNode(_ kind: String, base: Int) throws(SyntaxError) -> Node {
            switch goParseInt(value, base: base) {
            case .success(let v): return Node(.int(v), token.pos)
            case .failure(let e):
                throw SyntaxError(
                    message: "invalid \(kind) literal: strconv.ParseInt: parsing \(goQuote(value)): \(e.rawValue)", pos: errPos)
            }
        }
        if lower.hasPrefix("0x") { return try intNode("hex", base: 0) }
        if lower.unicodeScalars.contains(".") || lower.unicodeScalars.contains("e") {
            switch goParseFloat(value) {
            case .success(let v): return Node(.float(v), token.pos)
            case .failure(let e):
                throw SyntaxError(
                    message: "invalid float literal: strconv.ParseFloat: parsing \(goQuote(value)): \(e.rawValue)", pos: errPos)
            }
        }
        if lower.hasPrefix("0b") { return try intNode("binary", base: 0) }
        if lower.hasPrefix("0o") { return try intNode("octal", base: 0) }
        return try intNode("integer", base: 10)
    }

    private mutating func parseCall(_ token: Token) throws(SyntaxError) -> Node {
        let name = token.value
        if unsupportedPredicateBuiltins.contains(name) { throw unsupported("builtin \(name)", token) }
        if let spec = predicateBuiltins[name] {
            try expect(.bracket, "(")
            var args: [Node] = []
            for (i, arg) in spec.enumerated() {
                if arg.optional {
                    if cur.isBracket(")") { break }
                } else if cur.isBracket(")") {
                    throw SyntaxError(message: "expected at least \(spec.count) arguments", pos: cur.pos)
                }
                if i > 0 { try expect(.op, ",") }
                args.append(arg.predicate ? try parsePredicate() : try parseExpression(0))
            }
            if cur.isOp(",") { advance() }
            try expect(.bracket, ")")
            return Node(.builtin(name, args), token.pos)
        }
        if Builtins.supported.contains(name) {
            return Node(.builtin(name, try parseArguments()), token.pos)
        }
        if Builtins.otherExprBuiltins.contains(name) { throw unsupported("builtin \(name)", token) }
        return Node(.call(name, try parseArguments()), token.pos)
    }

    private mutating func parseArguments() throws(SyntaxError) -> [Node] {
        try expect(.bracket, "(")
        var args: [Node] = []
        while !cur.isBracket(")") {
            if !args.isEmpty { try expect(.op, ",") }
            if cur.isBracket(")") { break }
            args.append(try parseExpression(0))
        }
        try expect(.bracket, ")")
        return args
    }

    private mutating func parsePredicate() throws(SyntaxError) -> Node {
        let start = cur
        let withBrackets = cur.isBracket("{")
        if withBrackets { advance() }
        depth += 1
        let node: Node
        if withBrackets {
            node = try parseSequenceExpression()
        } else {
            node = try parseExpression(0)
            if cur.isOp(";") {
                throw SyntaxError(message: "wrap predicate with brackets { and }", pos: cur.pos)
            }
        }
        depth -= 1
        if withBrackets { try expect(.bracket, "}") }
        return Node(.predicate(node), start.pos)
    }

    private mutating func parseArray(_ token: Token) throws(SyntaxError) -> Node {
        try expect(.bracket, "[")
        var nodes: [Node] = []
        while !cur.isBracket("]") {
            if !nodes.isEmpty {
                try expect(.op, ",")
                if cur.isBracket("]") { break }
            }
            nodes.append(try parseExpression(0))
        }
        try expect(.bracket, "]")
        return Node(.array(nodes), token.pos)
    }

    private mutating func parsePostfix(_ nodeIn: Node) throws(SyntaxError) -> Node {
        var node = nodeIn
        var postfix = cur
        while postfix.kind == .op || postfix.kind == .bracket {
            if postfix.value == "." || postfix.value == "?." {
                throw unsupported("member access '\(postfix.value)'", postfix)
            } else if postfix.value == "[" {
                advance()
                if cur.isOp(":") {
                    advance()
                    var to: Node?
                    if !cur.isBracket("]") { to = try parseExpression(0) }
                    node = Node(.slice(node, nil, to), postfix.pos)
                    try expect(.bracket, "]")
                } else {
                    let from = try parseExpression(0)
                    if cur.isOp(":") {
                        advance()
                        var to: Node?
                        if !cur.isBracket("]") { to = try parseExpression(0) }
                        node = Node(.slice(node, from, to), postfix.pos)
                    } else {
                        node = Node(.member(node, from), postfix.pos)
                    }
                    try expect(.bracket, "]")
                }
            } else {
                break
            }
            postfix = cur
        }
        return node
    }
}
