/// Splits an expression into tokens the way expr's lexer does (positions in Unicode scalars).
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
