/// Token kinds of the expr language lexer.
enum TokenKind: Equatable, Sendable {
    case identifier, number, string, op, bracket, eof
}

/// A token; `pos` is the offset in Unicode scalars (expr locations are rune offsets).
struct Token: Sendable {
    var kind: TokenKind
    var value: String
    var pos: Int

    func isOp(_ v: String) -> Bool { kind == .op && value == v }
    func isBracket(_ v: String) -> Bool { kind == .bracket && value == v }

    /// expr's `%v` of a token, used in "unexpected token ..." messages.
    var display: String {
        let name: String
        switch kind {
        case .eof: name = "EOF"
        case .identifier: name = "Identifier"
        case .number: name = "Number"
        case .string: name = "String"
        case .op: name = "Operator"
        case .bracket: name = "Bracket"
        }
        return value.isEmpty ? name : "\(name)(\(goQuote(value)))"
    }
}

/// A lexer error: message and rune offset.
struct SyntaxError: Error {
    var message: String
    var pos: Int
}

/// Port of expr's state-machine lexer (parser/lexer). Lexes the whole input up front.
