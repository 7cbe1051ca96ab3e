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

    /// The values of the `{name}` segments of a path that matches (`RouteTable` decides that).
    func parameters(_ path: UnsafeBufferPointer<UInt8>, segments ranges: UnsafeBufferPointer<Range<Int>>) -> PathParameters {
        var first: (name: String, value: String)?
        var rest: [(name: String, value: String)] = []
        for (index, segment) in segments.enumerated() {
            guard case .parameter(let name) = segment else { continue }
            let value = String(decoding: UnsafeBufferPointer(rebasing: path[ranges[index]]), as: UTF8.self)
            if first == nil { first = (name, value) } else { rest.append((name, value)) }
        }
        return PathParameters(first: first, rest: rest)
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
