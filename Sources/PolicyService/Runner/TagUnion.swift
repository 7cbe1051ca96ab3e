/// Ordered, duplicate-free unions of tag lists (decision contexts are built with these).
enum TagUnion {
    /// `a` then `b`, order kept, duplicates dropped. Returns `a` itself (no copy) when
    /// `b` is empty and `a` has no duplicates: the common decision case.
    static func union(_ a: [String], _ b: [String] = [], _ c: [String] = []) -> [String] {
        if b.isEmpty && c.isEmpty && !hasDuplicates(a) { return a }
        var out: [String] = []
        out.reserveCapacity(a.count + b.count + c.count)
        for list in [a, b, c] {
            for tag in list where !out.contains(tag) {
                out.append(tag)
            }
        }
        return out
    }

    static func hasDuplicates(_ tags: [String]) -> Bool {
        guard tags.count > 1 else { return false }
        for i in 1..<tags.count where tags[..<i].contains(tags[i]) {
            return true
        }
        return false
    }
}
