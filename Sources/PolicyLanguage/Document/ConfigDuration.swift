/// Go's `time.ParseDuration` syntax for `config.cycle` and `config.grace`: an optional
/// sign, then one or more decimal numbers each with a unit (ns, us, µs, ms, s, m, h),
/// as in `1h30m` or `1.5s`; a lone `0` is allowed.
enum ConfigDuration {
    /// Seconds, or nil when `text` is not a Go duration (or exceeds Go's ±292 years).
    static func seconds(_ text: String) -> Double? {
        var scalars = Substring(text).unicodeScalars[...]
        var negative = false
        if let sign = scalars.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            scalars = scalars.dropFirst()
        }
        if scalars.elementsEqual("0".unicodeScalars) { return 0 }
        guard !scalars.isEmpty else { return nil }
        var nanoseconds = 0.0
        while !scalars.isEmpty {
            let number = scalars.prefix { $0 == "." || ("0"..."9").contains($0) }
            scalars = scalars.dropFirst(number.count)
            let integerPart = number.prefix { $0 != "." }
            let fractionPart = number.dropFirst(integerPart.count).dropFirst()
            guard !integerPart.isEmpty || !fractionPart.isEmpty, number.filter({ $0 == "." }).count <= 1 else {
                return nil
            }
            let unit = String(String.UnicodeScalarView(scalars.prefix { !($0 == "." || ("0"..."9").contains($0)) }))
            scalars = scalars.dropFirst(unit.unicodeScalars.count)
            guard let unitNanoseconds = unitsInNanoseconds[unit],
                let value = Double(decimal(integerPart, fractionPart))
            else { return nil }
            nanoseconds += value * unitNanoseconds
        }
        guard nanoseconds <= Double(Int64.max) else { return nil }
        return (negative ? -nanoseconds : nanoseconds) / 1e9
    }

    /// `12.5` from `12` and `5`, with `0` filling either side when it is empty.
    private static func decimal(_ integer: Substring.UnicodeScalarView, _ fraction: Substring.UnicodeScalarView) -> String {
        let integerText = integer.isEmpty ? "0" : String(String.UnicodeScalarView(integer))
        let fractionText = fraction.isEmpty ? "0" : String(String.UnicodeScalarView(fraction))
        return integerText + "." + fractionText
    }

    private static let unitsInNanoseconds: [String: Double] = [
        "ns": 1, "us": 1e3, "\u{00B5}s": 1e3, "\u{03BC}s": 1e3, "ms": 1e6, "s": 1e9, "m": 60e9, "h": 3600e9,
    ]
}
