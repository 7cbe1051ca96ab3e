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
struct Lexer {
    private let src: [Unicode.Scalar]
    private var start = 0
    private var end = 0
    private var tokens: [Token] = []
    private var err: SyntaxError?
    private static let eofScalar = Unicode.Scalar(0xFFFF)!

    init(_ source: [Unicode.Scalar]) { self.src = source }

    static func tokenize(_ source: [Unicode.Scalar]) throws(SyntaxError) -> [Token] {
        var l = Lexer(source)
        l.run()
        if let e = l.err { throw e }
        return l.tokens
    }

    // MARK: primitives

    private var atEOF: Bool { end > src.count }

    private mutating func next() -> Unicode.Scalar? {
        if end >= src.count {
            end += 1
            return nil
        }
        let r = src[end]
        end += 1
        return r
    }

    private mutating func backup() { end -= 1 }

    private mutating func peek() -> Unicode.Scalar? {
        let r = next()
        backup()
        return r
    }

    private var word: String {
        guard start <= src.count, end <= src.count, start <= end else { return "__invalid__" }
        var s = String.UnicodeScalarView()
        s.append(contentsOf: src[start..<end])
        return String(s)
    }

    private mutating func emit(_ kind: TokenKind) { emit(kind, word) }

    private mutating func emit(_ kind: TokenKind, _ value: String) {
        tokens.append(Token(kind: kind, value: value, pos: start))
        start = end
    }

    private mutating func emitEOF() {
        tokens.append(Token(kind: .eof, value: "", pos: max(0, end - 2)))
        start = end
    }

    private mutating func skip() { start = end }

    @discardableResult
    private mutating func accept(_ valid: String) -> Bool {
        if let r = next(), valid.unicodeScalars.contains(r) { return true }
        backup()
        return false
    }

    private mutating func acceptRun(_ valid: String) {
        while let r = next(), valid.unicodeScalars.contains(r) {}
        backup()
    }

    private mutating func error(_ message: String) {
        if err == nil { err = SyntaxError(message: message, pos: end - 1) }
    }

    // MARK: states

    private enum State { case root, number, dot, identifier, not, questionMark, slash, pointer, done }

    private mutating func run() {
        var state = State.root
        while state != .done && err == nil {
            switch state {
            case .root: state = root()
            case .number: state = number()
            case .dot: state = dot()
            case .identifier: state = identifier()
            case .not: state = notState()
            case .questionMark: state = questionMark()
            case .slash: state = slash()
            case .pointer: state = pointer()
            case .done: break
            }
        }
    }

    private mutating func root() -> State {
        guard let r = next() else {
            emitEOF()
            return .done
        }
        switch r {
        case _ where isGoSpace(r):
            skip()
        case "'", "\"":
            scanString(r)
            switch unescape(word) {
            case .success(let s): emit(.string, s)
            case .failure(let e):
                error(e.message)
                emit(.string, "")
            }
        case "`":
            scanRawString()
        case "0"..."9":
            backup()
            return .number
        case "?": return .questionMark
        case "/": return .slash
        case "#": return .pointer
        case "|":
            accept("|")
            emit(.op)
        case ":":
            accept(":")
            emit(.op)
        case "(", "[", "{", ")", "]", "}":
            emit(.bracket)
        case ",", ";", "%", "+", "-", "^":
            emit(.op)
        case "&", "!", "=", "*", "<", ">":
            accept("&=*")
            emit(.op)
        case ".":
            backup()
            return .dot
        case _ where isAlphaNumeric(r):
            backup()
            return .identifier
        default:
            error("unrecognized character: \(goUnicodeDisplay(r))")
            return .done
        }
        return .root
    }

    private mutating func number() -> State {
        if !scanNumber() {
            error("bad number syntax: \(goQuote(word))")
            return .done
        }
        emit(.number)
        return .root
    }

    private mutating func scanNumber() -> Bool {
        var digits = "0123456789_"
        if accept("0") {
            if accept("xX") {
                digits = "0123456789abcdefABCDEF_"
            } else if accept("oO") {
                digits = "01234567_"
            } else if accept("bB") {
                digits = "01_"
            }
        }
        acceptRun(digits)
        let savedEnd = end
        if accept(".") {
            if peek() == "." {
                // `1..2` is a range, not a float.
                end = savedEnd
                return true
            }
            acceptRun(digits)
        }
        if accept("eE") {
            accept("+-")
            acceptRun(digits)
        }
        if let r = peek(), isAlphaNumeric(r) {
            _ = next()
            return false
        }
        return true
    }

    private mutating func dot() -> State {
        _ = next()
        if accept("0123456789") {
            backup()
            return .number
        }
        accept(".")
        emit(.op)
        return .root
    }

    private mutating func identifier() -> State {
        while true {
            if let r = next(), isAlphaNumeric(r) { continue }
            backup()
            switch word {
            case "not":
                return .not
            case "in", "or", "and", "matches", "contains", "startsWith", "endsWith", "let", "if", "else":
                emit(.op)
            default:
                emit(.identifier)
            }
            return .root
        }
    }

    private mutating func notState() -> State {
        emit(.op)
        // skipSpaces: only ' '
        while peek() == " " { _ = next() }
        skip()
        let savedEnd = end
        while true {
            if let r = next(), isAlphaNumeric(r) { continue }
            backup()
            break
        }
        switch word {
        case "in", "matches", "contains", "startsWith", "endsWith":
            emit(.op)
        default:
            end = savedEnd
        }
        return .root
    }

    private mutating func questionMark() -> State {
        accept(".?")
        emit(.op)
        return .root
    }

    private mutating func slash() -> State {
        if accept("/") {
            while let r = next(), r != "\n" {}
            skip()
            return .root
        }
        if accept("*") {
            while true {
                guard let r = next() else {
                    error("unclosed comment")
                    return .done
                }
                if r == "*" && accept("/") { break }
            }
            skip()
            return .root
        }
        emit(.op)
        return .root
    }

    private mutating func pointer() -> State {
        accept("#")
        emit(.op)
        while true {
            if let r = next(), isAlphaNumeric(r) { continue }
            backup()
            if !word.isEmpty { emit(.identifier) }
            return .root
        }
    }

    // MARK: strings

    private func digitVal(_ ch: Unicode.Scalar?) -> Int {
        guard let ch else { return 16 }
        switch ch {
        case "0"..."9": return Int(ch.value - 48)
        case "a"..."f": return Int(ch.value - 97 + 10)
        case "A"..."F": return Int(ch.value - 65 + 10)
        default: return 16
        }
    }

    private mutating func scanDigits(_ first: Unicode.Scalar?, base: Int, count: Int) -> Unicode.Scalar? {
        var ch = first
        var n = count
        while n > 0 && digitVal(ch) < base {
            ch = next()
            n -= 1
        }
        if n > 0 { error("invalid char escape") }
        return ch
    }

    private mutating func scanEscape(_ quote: Unicode.Scalar) -> Unicode.Scalar? {
        let ch = next()
        switch ch {
        case "a", "b", "f", "n", "r", "t", "v", "\\":
            return next()
        case let c? where c == quote:
            return next()
        case "0", "1", "2", "3", "4", "5", "6", "7":
            return scanDigits(ch, base: 8, count: 3)
        case "x":
            return scanDigits(next(), base: 16, count: 2)
        case "u":
            return scanDigits(next(), base: 16, count: 4)
        case "U":
            return scanDigits(next(), base: 16, count: 8)
        default:
            error("invalid char escape")
            return ch
        }
    }

    private mutating func scanString(_ quote: Unicode.Scalar) {
        var ch = next()
        while ch != quote {
            if ch == nil || ch == "\n" {
                error("literal not terminated")
                return
            }
            if ch == "\\" {
                ch = scanEscape(quote)
            } else {
                ch = next()
            }
        }
    }

    private mutating func scanRawString() {
        var ch = next()
        while ch != "`" {
            if ch == nil {
                error("literal not terminated")
                return
            }
            ch = next()
        }
        var s = String.UnicodeScalarView()
        s.append(contentsOf: src[(start + 1)..<(end - 1)])
        emit(.string, String(s))
    }
}

struct UnescapeError: Error { var message: String }

/// Port of expr's `unescape` (parser/lexer/utils.go).
func unescape(_ raw: String) -> Result<String, UnescapeError> {
    // All strings normalize newlines to \n.
    var b: [UInt8] = []
    b.reserveCapacity(raw.utf8.count)
    var prevCR = false
    for c in raw.utf8 {
        if c == 13 {
            b.append(10)
            prevCR = true
            continue
        }
        if c == 10 && prevCR {
            prevCR = false
            continue
        }
        prevCR = false
        b.append(c)
    }
    let n = b.count
    if n < 2 || b[0] != b[n - 1] || (b[0] != UInt8(ascii: "\"") && b[0] != UInt8(ascii: "'")) {
        return .failure(UnescapeError(message: "unable to unescape string"))
    }
    var s = b[1..<(n - 1)]
    var out: [UInt8] = []
    out.reserveCapacity(s.count)
    func hex(_ c: UInt8) -> UInt32? {
        switch c {
        case 48...57: return UInt32(c - 48)
        case 97...102: return UInt32(c - 97 + 10)
        case 65...70: return UInt32(c - 65 + 10)
        default: return nil
        }
    }
    func appendRune(_ v: UInt32) {
        let scalar = Unicode.Scalar(v) ?? "\u{FFFD}"
        out.append(contentsOf: String(Character(scalar)).utf8)
    }
    while let c = s.first {
        if c != UInt8(ascii: "\\") {
            out.append(c)
            s = s.dropFirst()
            continue
        }
        if s.count <= 1 {
            return .failure(UnescapeError(message: "unable to unescape string, found '\\' as last character"))
        }
        let e = s[s.startIndex + 1]
        s = s.dropFirst(2)
        switch e {
        case UInt8(ascii: "a"): out.append(7)
        case UInt8(ascii: "b"): out.append(8)
        case UInt8(ascii: "f"): out.append(12)
        case UInt8(ascii: "n"): out.append(10)
        case UInt8(ascii: "r"): out.append(13)
        case UInt8(ascii: "t"): out.append(9)
        case UInt8(ascii: "v"): out.append(11)
        case UInt8(ascii: "\\"): out.append(92)
        case UInt8(ascii: "'"): out.append(39)
        case UInt8(ascii: "\""): out.append(34)
        case UInt8(ascii: "`"): out.append(96)
        case UInt8(ascii: "?"): out.append(63)
        case UInt8(ascii: "x"), UInt8(ascii: "X"), UInt8(ascii: "u"), UInt8(ascii: "U"):
            let count = (e == UInt8(ascii: "u")) ? 4 : (e == UInt8(ascii: "U") ? 8 : 2)
            if s.count < count { return .failure(UnescapeError(message: "unable to unescape string")) }
            var v: UInt32 = 0
            for _ in 0..<count {
                guard let x = hex(s.first!) else { return .failure(UnescapeError(message: "unable to unescape string")) }
                v = v << 4 | x
                s = s.dropFirst()
            }
            if v > 0x10FFFF { return .failure(UnescapeError(message: "unable to unescape string")) }
            appendRune(v)
        case UInt8(ascii: "0")...UInt8(ascii: "3"):
            if s.count < 2 { return .failure(UnescapeError(message: "unable to unescape octal sequence in string")) }
            var v = UInt32(e - 48)
            for _ in 0..<2 {
                let x = s.first!
                if x < 48 || x > 55 { return .failure(UnescapeError(message: "unable to unescape octal sequence in string")) }
                v = v * 8 + UInt32(x - 48)
                s = s.dropFirst()
            }
            appendRune(v)
        default:
            return .failure(UnescapeError(message: "unable to unescape string"))
        }
    }
    return .success(String(decoding: out, as: UTF8.self))
}

/// Go's `unicode.IsSpace`.
func isGoSpace(_ r: Unicode.Scalar) -> Bool {
    switch r.value {
    case 0x09...0x0D, 0x20, 0x85, 0xA0: return true
    default: return r.value > 0xFF && r.properties.isWhitespace
    }
}

/// expr's `IsAlphaNumeric`: `_`, `$`, Unicode letters and decimal digits.
func isAlphaNumeric(_ r: Unicode.Scalar) -> Bool {
    if r == "_" || r == "$" { return true }
    if r.isASCII {
        let v = r.value
        return (v >= 48 && v <= 57) || (v >= 65 && v <= 90) || (v >= 97 && v <= 122)
    }
    switch r.properties.generalCategory {
    case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .decimalNumber:
        return true
    default:
        return false
    }
}

/// Go's `%#U` of a rune: `U+0040 '@'`.
func goUnicodeDisplay(_ r: Unicode.Scalar) -> String {
    var hex = String(r.value, radix: 16, uppercase: true)
    while hex.count < 4 { hex = "0" + hex }
    return "U+\(hex) '\(Character(r))'"
}
