#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Go string equality is bytewise (Swift's `==` uses canonical equivalence).
@inline(__always)
func goStringEqual(_ a: String, _ b: String) -> Bool {
    let au = a.utf8
    let bu = b.utf8
    if au.count != bu.count { return false }
    let fast = au.withContiguousStorageIfAvailable { pa in
        bu.withContiguousStorageIfAvailable { pb in
            pa.count == 0 || memcmp(pa.baseAddress!, pb.baseAddress!, pa.count) == 0
        }
    }
    if let r = fast, let r { return r }
    return au.elementsEqual(bu)
}

/// Bytewise three-way comparison of Go strings.
func goStringCompare(_ a: String, _ b: String) -> Int {
    var ia = a.utf8.makeIterator()
    var ib = b.utf8.makeIterator()
    while true {
        switch (ia.next(), ib.next()) {
        case (nil, nil): return 0
        case (nil, _): return -1
        case (_, nil): return 1
        case (let x?, let y?):
            if x != y { return x < y ? -1 : 1 }
        }
    }
}

func goHasPrefix(_ s: String, _ p: String) -> Bool { s.utf8.starts(with: p.utf8) }

func goHasSuffix(_ s: String, _ p: String) -> Bool {
    let su = s.utf8
    let pu = p.utf8
    if pu.count > su.count { return false }
    return su.dropFirst(su.count - pu.count).elementsEqual(pu)
}

/// Byte offset of `sub` in `s`, or -1 (Go's `strings.Index`). Knuth-Morris-Pratt, so
/// hostile inputs stay linear.
func goIndex(_ s: String, _ sub: String) -> Int {
    let a = Array(s.utf8)
    let b = Array(sub.utf8)
    if b.isEmpty { return 0 }
    if b.count > a.count { return -1 }
    var fail = [Int](repeating: 0, count: b.count)
    var k = 0
    for i in 1..<b.count {
        while k > 0 && b[i] != b[k] { k = fail[k - 1] }
        if b[i] == b[k] { k += 1 }
        fail[i] = k
    }
    k = 0
    for i in 0..<a.count {
        while k > 0 && a[i] != b[k] { k = fail[k - 1] }
        if a[i] == b[k] { k += 1 }
        if k == b.count { return i - b.count + 1 }
    }
    return -1
}

func goContains(_ s: String, _ sub: String) -> Bool { goIndex(s, sub) >= 0 }

/// `strings.TrimFunc`-style trimming of both ends.
func goTrim(_ s: String, _ drop: (Unicode.Scalar) -> Bool) -> String {
    let scalars = Array(s.unicodeScalars)
    var lo = 0
    var hi = scalars.count
    while lo < hi && drop(scalars[lo]) { lo += 1 }
    while hi > lo && drop(scalars[hi - 1]) { hi -= 1 }
    var out = String.UnicodeScalarView()
    out.append(contentsOf: scalars[lo..<hi])
    return String(out)
}

/// Go's `strings.SplitN` (n < 0 means all).
func goSplit(_ s: String, _ sep: String, _ n: Int) -> [String] {
    if n == 0 { return [] }
    if sep.isEmpty {
        var parts = s.unicodeScalars.map { String($0) }
        if n > 0 && parts.count > n {
            let rest = parts[(n - 1)...].joined()
            parts = Array(parts[..<(n - 1)]) + [rest]
        }
        return parts
    }
    let b = Array(s.utf8)
    let p = Array(sep.utf8)
    var parts: [String] = []
    var start = 0
    var i = 0
    while i + p.count <= b.count {
        if n > 0 && parts.count == n - 1 { break }
        if b[i] == p[0] && Array(b[i..<(i + p.count)]) == p {
            parts.append(String(decoding: b[start..<i], as: UTF8.self))
            i += p.count
            start = i
        } else {
            i += 1
        }
    }
    parts.append(String(decoding: b[start...], as: UTF8.self))
    return parts
}
