/// `\w`: ASCII letters, digits and `_`.
func isWordChar(_ r: Unicode.Scalar) -> Bool {
    let v = r.value
    return (v >= 48 && v <= 57) || (v >= 65 && v <= 90) || (v >= 97 && v <= 122) || v == 95
}

/// Simple case folding equivalence (Go folds per rune, not per string).
func foldEqual(_ a: Unicode.Scalar, _ b: Unicode.Scalar) -> Bool {
    if a == b { return true }
    return simpleLower(a) == simpleLower(b) || simpleUpper(a) == simpleUpper(b)
}

func simpleLower(_ r: Unicode.Scalar) -> Unicode.Scalar {
    if r.isASCII {
        return (r.value >= 65 && r.value <= 90) ? Unicode.Scalar(r.value + 32)! : r
    }
    let m = r.properties.lowercaseMapping.unicodeScalars
    return m.count == 1 ? m.first! : r
}

func simpleUpper(_ r: Unicode.Scalar) -> Unicode.Scalar {
    if r.isASCII {
        return (r.value >= 97 && r.value <= 122) ? Unicode.Scalar(r.value - 32)! : r
    }
    let m = r.properties.uppercaseMapping.unicodeScalars
    return m.count == 1 ? m.first! : r
}

/// A set of program counters with O(1) insert, membership and clear.
struct CharClass: Sendable {
    var ranges: [ClosedRange<UInt32>] = []
    var categories: [Unicode.GeneralCategory] = []
    var nested: [CharClass] = []
    var negated = false

    func contains(_ r: Unicode.Scalar, fold: Bool) -> Bool {
        var hit = rawContains(r)
        if !hit && fold {
            hit = rawContains(simpleLower(r)) || rawContains(simpleUpper(r))
        }
        return hit != negated
    }

    private func rawContains(_ r: Unicode.Scalar) -> Bool {
        let v = r.value
        for range in ranges where range.contains(v) { return true }
        if !categories.isEmpty && categories.contains(r.properties.generalCategory) { return true }
        for n in nested where n.contains(r, fold: false) { return true }
        return false
    }

    mutating func add(_ other: CharClass) {
        if other.negated || !other.categories.isEmpty || !other.nested.isEmpty {
            nested.append(other)
        } else {
            ranges += other.ranges
        }
    }

    static let digit = CharClass(ranges: [48...57])
    static let space = CharClass(ranges: [9...10, 12...13, 32...32])
    static let word = CharClass(ranges: [48...57, 65...90, 97...122, 95...95])
}
