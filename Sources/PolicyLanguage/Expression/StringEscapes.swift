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
