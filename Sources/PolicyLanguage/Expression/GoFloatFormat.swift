/// Go's `%v` of a float64: shortest round-trip digits, `%e` form when the decimal
/// exponent is < -4 or >= 21 (`string(1e21) == "1e+21"`, `string(100.0) == "100"`).
func formatGoFloat(_ f: Double) -> String {
    if f.isNaN { return "NaN" }
    if f.isInfinite { return f < 0 ? "-Inf" : "+Inf" }
    if f == 0 { return f.sign == .minus ? "-0" : "0" }
    // Swift's description is also the shortest round-trip representation; re-layout it.
    var desc = Substring(f.magnitude.description)
    var exp10 = 0
    if let e = desc.firstIndex(where: { $0 == "e" || $0 == "E" }) {
        exp10 = Int(desc[desc.index(after: e)...]) ?? 0
        desc = desc[..<e]
    }
    var intPart = desc
    var fracPart: Substring = ""
    if let dot = desc.firstIndex(of: ".") {
        intPart = desc[..<dot]
        fracPart = desc[desc.index(after: dot)...]
    }
    var digits = Array((intPart + fracPart).utf8)
    // Decimal point position relative to the start of `digits`.
    var point = intPart.count + exp10
    while let first = digits.first, first == UInt8(ascii: "0"), digits.count > 1 {
        digits.removeFirst()
        point -= 1
    }
    while let last = digits.last, last == UInt8(ascii: "0"), digits.count > 1 { digits.removeLast() }
    let d = String(decoding: digits, as: UTF8.self)
    let sciExp = point - 1
    var out = f < 0 ? "-" : ""
    if sciExp < -4 || sciExp >= 21 {
        out += String(d.prefix(1))
        if d.count > 1 { out += "." + d.dropFirst() }
        out += sciExp < 0 ? "e-" : "e+"
        let a = abs(sciExp)
        out += a < 10 ? "0\(a)" : "\(a)"
        return out
    }
    if point <= 0 {
        out += "0." + String(repeating: "0", count: -point) + d
    } else if point >= d.count {
        out += d + String(repeating: "0", count: point - d.count)
    } else {
        out += d.prefix(point) + "." + d.dropFirst(point)
    }
    return out
}
