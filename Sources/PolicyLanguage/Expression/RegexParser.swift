/// A parsed regular expression, before it is compiled to instructions.
indirect enum RegexNode {
    case empty
    case literal(Unicode.Scalar, fold: Bool)
    case any(dotNL: Bool)
    case cls(CharClass, fold: Bool)
    case assert(RE2Regex.Assertion)
    case concat([RegexNode])
    case alternate([RegexNode])
    case repeatNode(RegexNode, min: Int, max: Int)  // max -1 = unbounded
    case group(RegexNode)
}

struct RegexFlags {
    var caseInsensitive = false
    var multiLine = false
    var dotNL = false
}

struct RegexParser {
    let pattern: String
    let src: [Unicode.Scalar]
    var i = 0
    var flags = RegexFlags()

    init(pattern: String) {
        self.pattern = pattern
        self.src = Array(pattern.unicodeScalars)
    }

    func fail(_ code: String, _ arg: String) -> RE2Regex.ParseError {
        RE2Regex.ParseError(message: "error parsing regexp: \(code): `\(arg)`")
    }

    func text(_ from: Int, _ to: Int) -> String {
        var v = String.UnicodeScalarView()
        v.append(contentsOf: src[max(0, from)..<min(to, src.count)])
        return String(v)
    }

    mutating func parse() throws(RE2Regex.ParseError) -> RegexNode {
        let node = try parseAlternation(depth: 0)
        if i < src.count {
            // Only a stray ')' can stop the top level early.
            throw fail("unexpected )", pattern)
        }
        return node
    }

    mutating func parseAlternation(depth: Int) throws(RE2Regex.ParseError) -> RegexNode {
        if depth > 100 { throw fail("expression nests too deeply", pattern) }
        var alts: [RegexNode] = [try parseConcat(depth: depth)]
        while i < src.count && src[i] == "|" {
            i += 1
            alts.append(try parseConcat(depth: depth))
        }
        return alts.count == 1 ? alts[0] : .alternate(alts)
    }

    mutating func parseConcat(depth: Int) throws(RE2Regex.ParseError) -> RegexNode {
        var items: [RegexNode] = []
        var lastWasRepeat = false
        var lastRepeatStart = 0
        while i < src.count {
            let c = src[i]
            if c == "|" { break }
            if c == ")" {
                if depth == 0 { throw fail("unexpected )", pattern) }
                break
            }
            let start = i
            if c == "*" || c == "+" || c == "?" || (c == "{" && isRepeatBrace()) {
                var minCount = 0
                var maxCount = -1
                if c == "{" {
                    let (mn, mx) = try parseBraces()
                    minCount = mn
                    maxCount = mx
                } else {
                    i += 1
                    if c == "+" { minCount = 1 }
                    if c == "?" { maxCount = 1 }
                }
                if i < src.count && src[i] == "?" { i += 1 }  // non-greedy: same match set
                guard let last = items.popLast() else {
                    throw fail("missing argument to repetition operator", text(start, i))
                }
                if lastWasRepeat {
                    throw fail("invalid nested repetition operator", text(lastRepeatStart, i))
                }
                items.append(.repeatNode(last, min: minCount, max: maxCount))
                lastWasRepeat = true
                lastRepeatStart = start
                continue
            }
            lastWasRepeat = false
            if let atom = try parseAtom(depth: depth) {
                items.append(atom)
            }
        }
        if items.isEmpty { return .empty }
        return items.count == 1 ? items[0] : .concat(items)
    }

    func isRepeatBrace() -> Bool {
        // `{` starts a repetition only if it has the form {n}, {n,} or {n,m}.
        var j = i + 1
        var digits = 0
        while j < src.count, src[j].properties.numericType == .decimal, src[j].isASCII { j += 1; digits += 1 }
        if digits == 0 || j >= src.count { return false }
        if src[j] == "}" { return true }
        if src[j] != "," { return false }
        j += 1
        while j < src.count, src[j].isASCII, src[j].properties.numericType == .decimal { j += 1 }
        return j < src.count && src[j] == "}"
    }

    mutating func parseBraces() throws(RE2Regex.ParseError) -> (Int, Int) {
        let start = i
        i += 1
        func number(_ p: inout RegexParser) -> Int {
            var v = 0
            while p.i < p.src.count, p.src[p.i].isASCII, p.src[p.i].properties.numericType == .decimal {
                v = min(v * 10 + Int(p.src[p.i].value - 48), 100_000)
                p.i += 1
            }
            return v
        }
        let mn = number(&self)
        var mx = mn
        if src[i] == "," {
            i += 1
            mx = src[i] == "}" ? -1 : number(&self)
        }
        i += 1  // '}'
        if mn > 1000 || mx > 1000 || (mx >= 0 && mx < mn) {
            throw fail("invalid repeat count", text(start, i))
        }
        return (mn, mx)
    }

    mutating func parseAtom(depth: Int) throws(RE2Regex.ParseError) -> RegexNode? {
        let c = src[i]
        switch c {
        case "(":
            return try parseGroup(depth: depth)
        case ".":
            i += 1
            return .any(dotNL: flags.dotNL)
        case "^":
            i += 1
            return .assert(flags.multiLine ? .beginLine : .beginText)
        case "$":
            i += 1
            return .assert(flags.multiLine ? .endLine : .endText)
        case "[":
            return .cls(try parseClass(), fold: flags.caseInsensitive)
        case "\\":
            return try parseEscapeAtom()
        default:
            i += 1
            return .literal(c, fold: flags.caseInsensitive)
        }
    }

    mutating func parseGroup(depth: Int) throws(RE2Regex.ParseError) -> RegexNode? {
        let start = i
        i += 1
        if i < src.count && src[i] == "?" {
            // (?flags) (?flags:re) (?P<name>re) (?<name>re)
            if i + 1 < src.count && (src[i + 1] == "P" || src[i + 1] == "<") {
                var j = i + 1
                if src[j] == "P" { j += 1 }
                guard j < src.count, src[j] == "<" else { throw fail("invalid or unsupported Perl syntax", text(start, j + 1)) }
                j += 1
                let nameStart = j
                while j < src.count && src[j] != ">" { j += 1 }
                if j >= src.count { throw fail("invalid named capture", text(start, src.count)) }
                let name = src[nameStart..<j]
                if name.isEmpty || !name.allSatisfy({ isWordChar($0) }) {
                    throw fail("invalid named capture", text(start, j + 1))
                }
                i = j + 1
                return try finishGroup(start: start, depth: depth, restore: nil)
            }
            var j = i + 1
            var newFlags = flags
            var negate = false
            var sawFlag = false
            while j < src.count {
                let f = src[j]
                switch f {
                case "i": newFlags.caseInsensitive = !negate; sawFlag = true
                case "m": newFlags.multiLine = !negate; sawFlag = true
                case "s": newFlags.dotNL = !negate; sawFlag = true
                case "U": sawFlag = true
                case "-":
                    if negate { throw fail("invalid or unsupported Perl syntax", text(start, j + 1)) }
                    negate = true
                    sawFlag = false
                case ")":
                    if negate && !sawFlag { throw fail("invalid or unsupported Perl syntax", text(start, j + 1)) }
                    flags = newFlags
                    i = j + 1
                    return nil
                case ":":
                    if negate && !sawFlag { throw fail("invalid or unsupported Perl syntax", text(start, j + 1)) }
                    let saved = flags
                    flags = newFlags
                    i = j + 1
                    return try finishGroup(start: start, depth: depth, restore: saved)
                default:
                    throw fail("invalid or unsupported Perl syntax", text(start, j + 1))
                }
                j += 1
            }
            throw fail("missing closing )", text(start, src.count))
        }
        return try finishGroup(start: start, depth: depth, restore: nil)
    }

    mutating func finishGroup(start: Int, depth: Int, restore: RegexFlags?) throws(RE2Regex.ParseError) -> RegexNode {
        let outer = flags
        let inner = try parseAlternation(depth: depth + 1)
        if i >= src.count || src[i] != ")" {
            throw fail("missing closing )", pattern)
        }
        i += 1
        flags = restore ?? outer
        return .group(inner)
    }

    mutating func parseEscapeAtom() throws(RE2Regex.ParseError) -> RegexNode {
        let start = i
        i += 1
        guard i < src.count else { throw fail("trailing backslash at end of expression", "") }
        let c = src[i]
        switch c {
        case "Q":
            // \Q...\E: everything up to \E (or the end) is literal text.
            i += 1
            var items: [RegexNode] = []
            while i < src.count {
                if src[i] == "\\" && i + 1 < src.count && src[i + 1] == "E" {
                    i += 2
                    break
                }
                items.append(.literal(src[i], fold: flags.caseInsensitive))
                i += 1
            }
            return items.count == 1 ? items[0] : .group(.concat(items))
        case "A": i += 1; return .assert(.beginText)
        case "z": i += 1; return .assert(.endText)
        case "b": i += 1; return .assert(.wordBoundary)
        case "B": i += 1; return .assert(.notWordBoundary)
        default:
            i = start
            let cls = try parseEscapeInClass(inClass: false)
            switch cls {
            case .scalar(let s): return .literal(s, fold: flags.caseInsensitive)
            case .cls(let k): return .cls(k, fold: flags.caseInsensitive)
            }
        }
    }

    enum EscapeResult {
        case scalar(Unicode.Scalar)
        case cls(CharClass)
    }

    mutating func parseEscapeInClass(inClass: Bool) throws(RE2Regex.ParseError) -> EscapeResult {
        let start = i
        i += 1
        guard i < src.count else { throw fail("trailing backslash at end of expression", "") }
        let c = src[i]
        i += 1
        switch c {
        case "d": return .cls(.digit)
        case "D": var k = CharClass.digit; k.negated = true; return .cls(k)
        case "s": return .cls(.space)
        case "S": var k = CharClass.space; k.negated = true; return .cls(k)
        case "w": return .cls(.word)
        case "W": var k = CharClass.word; k.negated = true; return .cls(k)
        case "n": return .scalar("\n")
        case "t": return .scalar("\t")
        case "r": return .scalar("\r")
        case "f": return .scalar("\u{0C}")
        case "v": return .scalar("\u{0B}")
        case "a": return .scalar("\u{07}")
        case "x":
            var v: UInt32 = 0
            if i < src.count && src[i] == "{" {
                i += 1
                var digits = 0
                while i < src.count && src[i] != "}" {
                    guard let h = hexVal(src[i]) else { throw fail("invalid escape sequence", text(start, i + 1)) }
                    v = v * 16 + h
                    digits += 1
                    i += 1
                    if v > 0x10FFFF { throw fail("invalid escape sequence", text(start, i)) }
                }
                if i >= src.count || digits == 0 { throw fail("invalid escape sequence", text(start, i)) }
                i += 1
            } else {
                for _ in 0..<2 {
                    guard i < src.count, let h = hexVal(src[i]) else { throw fail("invalid escape sequence", text(start, i + 1)) }
                    v = v * 16 + h
                    i += 1
                }
            }
            guard let s = Unicode.Scalar(v) else { throw fail("invalid escape sequence", text(start, i)) }
            return .scalar(s)
        case "0"..."7":
            // Octal: \0, \12, \123 (Go forbids \1-\9 backreferences unless followed by digits).
            if c != "0" && !(i < src.count && ("0"..."7").contains(src[i])) {
                throw fail("invalid escape sequence", text(start, i))
            }
            var v = c.value - 48
            var n = 1
            while n < 3 && i < src.count && ("0"..."7").contains(src[i]) {
                v = v * 8 + (src[i].value - 48)
                i += 1
                n += 1
            }
            return .scalar(Unicode.Scalar(v)!)
        case "p", "P":
            var name = ""
            if i < src.count && src[i] == "{" {
                let close = src[i...].firstIndex(of: "}") ?? src.count
                if close >= src.count { throw fail("invalid character class range", text(start, src.count)) }
                name = text(i + 1, close)
                i = close + 1
            } else if i < src.count {
                name = String(src[i])
                i += 1
            }
            var negate = c == "P"
            if name.hasPrefix("^") {
                negate.toggle()
                name.removeFirst()
            }
            guard var k = unicodeClass(name) else {
                throw fail("invalid character class range", text(start, i))
            }
            k.negated = negate
            return .cls(k)
        default:
            if c.isASCII && !isWordChar(c) {
                return .scalar(c)  // escaped punctuation
            }
            throw fail("invalid escape sequence", text(start, i))
        }
    }

    func hexVal(_ c: Unicode.Scalar) -> UInt32? {
        switch c {
        case "0"..."9": return c.value - 48
        case "a"..."f": return c.value - 87
        case "A"..."F": return c.value - 55
        default: return nil
        }
    }

    mutating func parseClass() throws(RE2Regex.ParseError) -> CharClass {
        let start = i
        i += 1
        var cls = CharClass()
        if i < src.count && src[i] == "^" {
            cls.negated = true
            i += 1
        }
        var first = true
        while i < src.count && (src[i] != "]" || first) {
            // A leading ']' is a literal.
            if src[i] == "[" && i + 1 < src.count && src[i + 1] == ":" {
                if let close = findPosixEnd(i) {
                    var name = text(i + 2, close)
                    var neg = false
                    if name.hasPrefix("^") {
                        neg = true
                        name.removeFirst()
                    }
                    guard var k = posixClass(name) else {
                        throw fail("invalid character class range", text(i, close + 2))
                    }
                    k.negated = neg
                    cls.add(k)
                    i = close + 2
                    first = false
                    continue
                }
            }
            let loStart = i
            let lo: Unicode.Scalar
            if src[i] == "\\" {
                switch try parseEscapeInClass(inClass: true) {
                case .cls(let k):
                    cls.add(k)
                    first = false
                    continue
                case .scalar(let s): lo = s
                }
            } else {
                lo = src[i]
                i += 1
            }
            var hi = lo
            if i + 1 < src.count && src[i] == "-" && src[i + 1] != "]" {
                i += 1
                if src[i] == "\\" {
                    switch try parseEscapeInClass(inClass: true) {
                    case .cls: throw fail("invalid character class range", text(loStart, i))
                    case .scalar(let s): hi = s
                    }
                } else {
                    hi = src[i]
                    i += 1
                }
                if hi.value < lo.value { throw fail("invalid character class range", text(loStart, i)) }
            }
            cls.ranges.append(lo.value...hi.value)
            first = false
        }
        if i >= src.count { throw fail("missing closing ]", text(start, src.count)) }
        i += 1
        return cls
    }

    func findPosixEnd(_ from: Int) -> Int? {
        var j = from + 2
        while j + 1 < src.count {
            if src[j] == ":" && src[j + 1] == "]" { return j }
            if src[j] == "]" { return nil }
            j += 1
        }
        return nil
    }

    func posixClass(_ name: String) -> CharClass? {
        switch name {
        case "alnum": return CharClass(ranges: [48...57, 65...90, 97...122])
        case "alpha": return CharClass(ranges: [65...90, 97...122])
        case "ascii": return CharClass(ranges: [0...0x7F])
        case "blank": return CharClass(ranges: [9...9, 32...32])
        case "cntrl": return CharClass(ranges: [0...31, 127...127])
        case "digit": return CharClass(ranges: [48...57])
        case "graph": return CharClass(ranges: [33...126])
        case "lower": return CharClass(ranges: [97...122])
        case "print": return CharClass(ranges: [32...126])
        case "punct": return CharClass(ranges: [33...47, 58...64, 91...96, 123...126])
        case "space": return CharClass(ranges: [9...13, 32...32])
        case "upper": return CharClass(ranges: [65...90])
        case "word": return CharClass(ranges: [48...57, 65...90, 97...122, 95...95])
        case "xdigit": return CharClass(ranges: [48...57, 65...70, 97...102])
        default: return nil
        }
    }

    /// A few Unicode general categories (`\\pL`, `\\p{Lu}`, `\\p{N}` ...).
    func unicodeClass(_ name: String) -> CharClass? {
        let cats: [Unicode.GeneralCategory]
        switch name {
        case "L": cats = [.uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter]
        case "Lu": cats = [.uppercaseLetter]
        case "Ll": cats = [.lowercaseLetter]
        case "Lt": cats = [.titlecaseLetter]
        case "Lm": cats = [.modifierLetter]
        case "Lo": cats = [.otherLetter]
        case "N": cats = [.decimalNumber, .letterNumber, .otherNumber]
        case "Nd": cats = [.decimalNumber]
        case "P":
            cats = [
                .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
                .initialPunctuation, .finalPunctuation, .otherPunctuation,
            ]
        case "S": cats = [.mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol]
        case "Z": cats = [.spaceSeparator, .lineSeparator, .paragraphSeparator]
        case "Zs": cats = [.spaceSeparator]
        default: return nil
        }
        return CharClass(categories: cats)
    }
}
