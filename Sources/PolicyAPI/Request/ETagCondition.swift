/// An entity tag (RFC 9110, section 8.8.3) as a condition names it.
struct EntityTag: Sendable, Hashable, CustomStringConvertible {
    /// The opaque tag with its double quotes, e.g. `"9f2c"`.
    var opaqueTag: String
    /// `W/` was in front of it.
    var isWeak: Bool

    init(_ opaqueTag: String, weak: Bool = false) {
        self.opaqueTag = opaqueTag
        self.isWeak = weak
    }

    var description: String { (isWeak ? "W/" : "") + opaqueTag }
}

/// The value of an If-Match or If-None-Match field (RFC 9110, sections 13.1.1 and 13.1.2).
enum ETagCondition: Sendable, Hashable, CustomStringConvertible {
    /// `*`: any stored document.
    case any
    /// One or more entity tags.
    case tags([EntityTag])

    /// Whether the current ETag `etag` (always strong here) satisfies the list: strong comparison
    /// (If-Match) ignores weak tags, weak comparison (If-None-Match) ignores the `W/`.
    func matches(_ etag: String, weakly: Bool) -> Bool {
        switch self {
        case .any: true
        case .tags(let tags): tags.contains { $0.opaqueTag == etag && (weakly || !$0.isWeak) }
        }
    }

    var description: String {
        switch self {
        case .any: "*"
        case .tags(let tags): tags.map(\.description).joined(separator: ", ")
        }
    }
}
