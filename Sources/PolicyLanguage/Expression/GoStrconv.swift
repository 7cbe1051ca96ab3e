/// Go's `strconv.Quote`.
func goQuote(_ s: String) -> String {
    var out = "\""
    for r in s.unicodeScalars {
        switch r {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\u{07}": out += "\\a"
        case "\u{08}": out += "\\b"
        case "\u{0C}": out += "\\f"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case "\u{0B}": out += "\\v"
        default:
            if r.value < 0x20 || r.value == 0x7F {
                out += "\\x" + hexPad(r.value, 2)
            } else if r.value >= 0x80 && !isGoPrintable(r) {
                out += r.value > 0xFFFF ? "\\U" + hexPad(r.value, 8) : "\\u" + hexPad(r.value, 4)
            } else {
                out.unicodeScalars.append(r)
            }
        }
    }
    return out + "\""
}

private func hexPad(_ v: UInt32, _ width: Int) -> String {
    var h = String(v, radix: 16)
    while h.count < width { h = "0" + h }
    return h
}

private func isGoPrintable(_ r: Unicode.Scalar) -> Bool {
    switch r.properties.generalCategory {
    case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator:
        return false
    case .spaceSeparator:
        return r.value == 0x20
    default:
        return true
    }
}

enum GoNumError: String, Error {
    case syntax = "invalid syntax"
    case range = "value out of range"
}

/// Go's `strconv.ParseInt(s, base, 64)` for base 0 or 10 (sign allowed; base 0 reads
/// 0x/0o/0b/0 prefixes and underscores).
func goParseInt(_ s: String, base: Int) -> Result<Int, GoNumError> {
    var bytes = Array(s.utf8)
    if bytes.isEmpty { return .failure(.syntax) }
    var negative = false
    if bytes[0] == UInt8(ascii: "+") || bytes[0] == UInt8(ascii: "-") {
        negative = bytes[0] == UInt8(ascii: "-")
        bytes.removeFirst()
        if bytes.isEmpty { return .failure(.syntax) }
    }
    var radix = base
    var allowUnderscore = false
    if base == 0 {
        radix = 10
        allowUnderscore = true
        if bytes[0] == UInt8(ascii: "0") {
            if bytes.count >= 3, let p = Optional(bytes[1] | 0x20),
                p == UInt8(ascii: "x") || p == UInt8(ascii: "o") || p == UInt8(ascii: "b")
            {
                radix = p == UInt8(ascii: "x") ? 16 : (p == UInt8(ascii: "o") ? 8 : 2)
                bytes.removeFirst(2)
            } else if bytes.count > 1 {
                radix = 8
                bytes.removeFirst(1)
            }
        }
    }
    var value: UInt64 = 0
    var overflow = false
    var sawDigit = false
    var lastUnderscore = false
    for c in bytes {
        if c == UInt8(ascii: "_") {
            if !allowUnderscore || lastUnderscore { return .failure(.syntax) }
            lastUnderscore = true
            continue
        }
        lastUnderscore = false
        let d: UInt64
        switch c {
        case 48...57: d = UInt64(c - 48)
        case 97...122: d = UInt64(c - 97 + 10)
        case 65...90: d = UInt64(c - 65 + 10)
        default: return .failure(.syntax)
        }
        if d >= UInt64(radix) { return .failure(.syntax) }
        sawDigit = true
        let (m, o1) = value.multipliedReportingOverflow(by: UInt64(radix))
        let (a, o2) = m.addingReportingOverflow(d)
        if o1 || o2 { overflow = true }
        value = a
    }
    if !sawDigit || lastUnderscore { return .failure(.syntax) }
    if overflow { return .failure(.range) }
    if negative {
        if value > UInt64(Int.max) + 1 { return .failure(.range) }
        return .success(value == UInt64(Int.max) + 1 ? Int.min : -Int(value))
    }
    if value > UInt64(Int.max) { return .failure(.range) }
    return .success(Int(value))
}

/// Go's `strconv.ParseFloat(s, 64)`: syntax checked here, value rounded by Swift.
func goParseFloat(_ s: String) -> Result<Double, GoNumError> {
    let b = Array(s.utf8)
    var i = 0
    if i < b.count && (b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-")) { i += 1 }
    let rest = String(decoding: b[i...], as: UTF8.self).lowercased()
    if rest == "inf" || rest == "infinity" || rest == "nan" {
        return .success(Double(s.lowercased()) ?? .nan)
    }
    var hex = false
    if b.count - i >= 2 && b[i] == UInt8(ascii: "0") && (b[i + 1] | 0x20) == UInt8(ascii: "x") {
        hex = true
        i += 2
    }
    var digits = 0
    var sawDot = false
    var cleaned: [UInt8] = Array(b[0..<i])
    var lastUnderscore = false
    while i < b.count {
        let c = b[i]
        if c == UInt8(ascii: "_") {
            if !hex || lastUnderscore { return .failure(.syntax) }
            lastUnderscore = true
            i += 1
            continue
        }
        lastUnderscore = false
        if c == UInt8(ascii: ".") {
            if sawDot { return .failure(.syntax) }
            sawDot = true
        } else if (48...57).contains(c) || (hex && ((97...102).contains(c | 0x20))) {
            digits += 1
        } else {
            break
        }
        cleaned.append(c)
        i += 1
    }
    if digits == 0 { return .failure(.syntax) }
    if i < b.count {
        let c = b[i] | 0x20
        if (hex && c == UInt8(ascii: "p")) || (!hex && c == UInt8(ascii: "e")) {
            cleaned.append(b[i])
            i += 1
            if i < b.count && (b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-")) {
                cleaned.append(b[i])
                i += 1
            }
            var expDigits = 0
            while i < b.count && (48...57).contains(b[i]) {
                cleaned.append(b[i])
                i += 1
                expDigits += 1
            }
            if expDigits == 0 { return .failure(.syntax) }
        } else {
            return .failure(.syntax)
        }
    } else if hex {
        return .failure(.syntax)  // hex mantissa needs a 'p' exponent
    }
    if i != b.count { return .failure(.syntax) }
    guard let v = Double(String(decoding: cleaned, as: UTF8.self)) else { return .failure(.syntax) }
    if v.isInfinite { return .failure(.range) }
    return .success(v)
}
