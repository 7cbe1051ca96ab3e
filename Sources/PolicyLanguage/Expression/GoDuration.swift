/// Port of Go's `time.ParseDuration`, returning nanoseconds.
func goParseDuration(_ s: String) -> Result<Int64, DurationError> {
    let orig = s
    var b = Array(s.utf8)[...]
    var d: UInt64 = 0
    var neg = false
    let invalid = DurationError(message: "time: invalid duration " + timeQuote(orig))
    if let c = b.first, c == UInt8(ascii: "-") || c == UInt8(ascii: "+") {
        neg = c == UInt8(ascii: "-")
        b = b.dropFirst()
    }
    if b.elementsEqual([UInt8(ascii: "0")]) { return .success(0) }
    if b.isEmpty { return .failure(invalid) }
    let limit: UInt64 = 1 << 63
    func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
    while let c0 = b.first {
        var v: UInt64 = 0
        var f: UInt64 = 0
        var scale = 1.0
        if !(c0 == UInt8(ascii: ".") || isDigit(c0)) { return .failure(invalid) }
        // leadingInt
        let pl = b.count
        while let c = b.first, isDigit(c) {
            if v > limit / 10 { return .failure(invalid) }
            v = v * 10 + UInt64(c - 48)
            if v > limit { return .failure(invalid) }
            b = b.dropFirst()
        }
        let pre = pl != b.count
        var post = false
        if let c = b.first, c == UInt8(ascii: ".") {
            b = b.dropFirst()
            let pl2 = b.count
            var overflow = false
            while let c = b.first, isDigit(c) {
                b = b.dropFirst()
                if overflow { continue }
                if f > (limit - 1) / 10 {
                    overflow = true
                    continue
                }
                let y = f * 10 + UInt64(c - 48)
                if y > limit {
                    overflow = true
                    continue
                }
                f = y
                scale *= 10
            }
            post = pl2 != b.count
        }
        if !pre && !post { return .failure(invalid) }
        var i = b.startIndex
        while i < b.endIndex, !(b[i] == UInt8(ascii: ".") || isDigit(b[i])) { i += 1 }
        if i == b.startIndex {
            return .failure(DurationError(message: "time: missing unit in duration " + timeQuote(orig)))
        }
        let u = String(decoding: b[b.startIndex..<i], as: UTF8.self)
        b = b[i...]
        let unit: UInt64
        switch u {
        case "ns": unit = 1
        case "us", "\u{00B5}s", "\u{03BC}s": unit = 1_000
        case "ms": unit = 1_000_000
        case "s": unit = 1_000_000_000
        case "m": unit = 60_000_000_000
        case "h": unit = 3_600_000_000_000
        default:
            return .failure(DurationError(message: "time: unknown unit " + timeQuote(u) + " in duration " + timeQuote(orig)))
        }
        if v > limit / unit { return .failure(invalid) }
        v *= unit
        if f > 0 {
            v += UInt64(Double(f) * (Double(unit) / scale))
            if v > limit { return .failure(invalid) }
        }
        d &+= v  // wraps like Go's uint64
        if d > limit { return .failure(invalid) }
    }
    if neg { return .success(d == limit ? Int64.min : -Int64(d)) }
    if d > limit - 1 { return .failure(invalid) }
    return .success(Int64(d))
}

struct DurationError: Error {
    var message: String
}

/// `time.Duration.Seconds()`.
func durationSeconds(_ ns: Int64) -> Double {
    let sec = ns / 1_000_000_000
    let nsec = ns % 1_000_000_000
    return Double(sec) + Double(nsec) / 1e9
}

/// The `quote` helper of Go's time package.
private func timeQuote(_ s: String) -> String {
    var out: [UInt8] = [UInt8(ascii: "\"")]
    let hex = Array("0123456789abcdef".utf8)
    for scalar in s.unicodeScalars {
        if scalar.value >= 0x80 || scalar.value < 0x20 {
            for byte in String(scalar).utf8 {
                out += [UInt8(ascii: "\\"), UInt8(ascii: "x"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            }
        } else {
            if scalar == "\"" || scalar == "\\" { out.append(UInt8(ascii: "\\")) }
            out.append(UInt8(scalar.value))
        }
    }
    out.append(UInt8(ascii: "\""))
    return String(decoding: out, as: UTF8.self)
}
