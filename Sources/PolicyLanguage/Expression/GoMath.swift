#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Port of Go's `math.Pow`, so `**` rounds exactly like expr (integer powers by
/// repeated squaring, not libm's correctly rounded pow).
func goPow(_ x: Double, _ y: Double) -> Double {
    if y == 0 || x == 1 { return 1 }
    if y == 1 { return x }
    if x.isNaN || y.isNaN { return .nan }
    if x == 0 {
        if y < 0 {
            return (x.sign == .minus && isOddInt(y)) ? -.infinity : .infinity
        }
        if y > 0 {
            return (x.sign == .minus && isOddInt(y)) ? x : 0
        }
    }
    if y.isInfinite {
        if x == -1 { return 1 }
        if (Swift.abs(x) < 1) == (y > 0) { return 0 }
        return .infinity
    }
    if x.isInfinite {
        if x < 0 { return goPow(1 / x, -y) }
        if y < 0 { return 0 }
        if y > 0 { return .infinity }
    }
    if y == 0.5 { return x.squareRoot() }
    if y == -0.5 { return 1 / x.squareRoot() }

    var yi = Swift.abs(y).rounded(.towardZero)
    var yf = Swift.abs(y) - yi
    if yf != 0 && x < 0 { return .nan }
    if yi >= 9.223372036854775808e18 {
        if x == -1 { return 1 }
        if (Swift.abs(x) < 1) == (y > 0) { return 0 }
        return .infinity
    }
    var a1 = 1.0
    var ae = 0
    if yf != 0 {
        if yf > 0.5 {
            yf -= 1
            yi += 1
        }
        a1 = exp(yf * log(x))
    }
    var xe: Int32 = 0
    var x1 = frexp(x, &xe)
    var xe64 = Int(xe)
    var i = Int64(yi)
    while i != 0 {
        if xe64 < -(1 << 12) || (1 << 12) < xe64 {
            ae += xe64
            break
        }
        if i & 1 == 1 {
            a1 *= x1
            ae += xe64
        }
        x1 *= x1
        xe64 <<= 1
        if x1 < 0.5 {
            x1 += x1
            xe64 -= 1
        }
        i >>= 1
    }
    if y < 0 {
        a1 = 1 / a1
        ae = -ae
    }
    return goLdexp(a1, ae)
}

private func isOddInt(_ x: Double) -> Bool {
    if Swift.abs(x) >= 9007199254740992 { return false }
    let xi = x.rounded(.towardZero)
    return xi == x && Int64(xi) & 1 == 1
}

private func goLdexp(_ frac: Double, _ exp: Int) -> Double {
    let e = Int32(clamping: exp)
    return ldexp(frac, e)
}

/// Go's `int(f)` on amd64: NaN and out-of-range values give the minimum int.
func goFloatToInt(_ f: Double) -> Int {
    if f.isNaN || f >= 9.223372036854775807e18 || f < -9.223372036854775808e18 { return Int.min }
    return Int(f)
}
