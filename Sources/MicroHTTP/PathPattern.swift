/// A route pattern such as `/v1/networks/{id}/runner`: literal segments and `{name}` parameters.
struct PathPattern: Sendable {
    enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
    }

    let segments: [Segment]

    /// Parses `pattern`; it must start with "/" and each `{...}` must fill a whole segment.
    init(_ pattern: String) {
        precondition(pattern.hasPrefix("/"), "route pattern must start with \"/\": \(pattern)")
        segments = pattern.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map { part in
            if part.hasPrefix("{") && part.hasSuffix("}") && part.count > 2 {
                return .parameter(String(part.dropFirst().dropLast()))
            }
            precondition(!part.contains("{") && !part.contains("}"), "bad route segment \"\(part)\" in \(pattern)")
            return .literal(String(part))
        }
    }

    /// The parameter values if `path` matches, else nil. Walks the path once without splitting it.
    func match(_ path: String) -> [(name: String, value: Substring)]? {
        guard path.utf8.first == UInt8(ascii: "/") else { return nil }
        var captured: [(name: String, value: Substring)] = []
        var start = path.utf8.index(after: path.utf8.startIndex)
        for (position, segment) in segments.enumerated() {
            let end = path.utf8[start...].firstIndex(of: UInt8(ascii: "/")) ?? path.utf8.endIndex
            let isLast = position == segments.count - 1
            guard isLast == (end == path.utf8.endIndex) else { return nil }
            let value = Substring(path.utf8[start..<end])
            switch segment {
            case .literal(let literal):
                guard value == literal else { return nil }
            case .parameter(let name):
                guard !value.isEmpty else { return nil }
                captured.append((name, value))
            }
            if !isLast { start = path.utf8.index(after: end) }
        }
        return captured
    }

    /// Whether this pattern should win over `other` when both match: the first segment where
    /// one has a literal and the other a parameter decides (`/a/b` beats `/a/{x}`).
    func isMoreSpecific(than other: PathPattern) -> Bool {
        for (mine, theirs) in zip(segments, other.segments) {
            switch (mine, theirs) {
            case (.literal, .parameter): return true
            case (.parameter, .literal): return false
            default: continue
            }
        }
        return false
    }
}
