import PolicyService

/// Preconditions of a write (If-Match / If-None-Match), evaluated as RFC 9110 section 13.2.2
/// orders them: If-Match first, then If-None-Match.
struct WritePreconditions: Sendable {
    /// `If-Match`: the stored document must exist (`*`) or its ETag strongly match one of the tags.
    var ifMatch: ETagCondition?
    /// `If-None-Match`: nothing may be stored (`*`), or the stored ETag must weakly match none of the tags.
    var ifNoneMatch: ETagCondition?

    init(ifMatch: ETagCondition? = nil, ifNoneMatch: ETagCondition? = nil) {
        self.ifMatch = ifMatch
        self.ifNoneMatch = ifNoneMatch
    }

    /// What the service's write may replace: the check runs there, against the stored ETag it
    /// reads under the network's writer lock.
    var expectedDocument: ExpectedDocument {
        guard ifMatch != nil || ifNoneMatch != nil else { return .any }
        return .checked { [self] etag in refusal(storedETag: etag) }
    }

    /// Why a write must not replace the document with ETag `etag` (nil: none stored), or nil when it may.
    func refusal(storedETag etag: String?) -> String? {
        if let ifMatch {
            guard let etag else { return "no policy is stored (If-Match: \(ifMatch))" }
            guard ifMatch.matches(etag, weakly: false) else {
                return "stored policy has ETag \(etag), not \(ifMatch) (If-Match)"
            }
        }
        if let ifNoneMatch, let etag, ifNoneMatch.matches(etag, weakly: true) {
            return ifNoneMatch == .any
                ? "a policy is already stored (If-None-Match: *)"
                : "stored policy has ETag \(etag), one of \(ifNoneMatch) (If-None-Match)"
        }
        return nil
    }
}
