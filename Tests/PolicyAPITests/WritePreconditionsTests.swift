import PolicyService
import Testing

@testable import PolicyAPI

/// RFC 9110 section 13.1: If-Match compares strongly (a weak tag never matches), If-None-Match
/// weakly; `*` stands for "a document is stored"; If-Match is evaluated first. The service runs
/// this check against the stored ETag under the network's writer lock (PolicyServiceTests).
@Suite struct WritePreconditionsTests {
    private let etag = #""e1""#

    private func allows(_ p: WritePreconditions, stored: String?) -> Bool { p.refusal(storedETag: stored) == nil }

    @Test func ifMatchComparesStrongly() {
        let weak = EntityTag(etag, weak: true)
        #expect(!allows(WritePreconditions(ifMatch: .any), stored: nil))
        #expect(allows(WritePreconditions(ifMatch: .any), stored: etag))
        #expect(!allows(WritePreconditions(ifMatch: .tags([weak])), stored: etag))
        #expect(allows(WritePreconditions(ifMatch: .tags([EntityTag(#""x""#), EntityTag(etag)])), stored: etag))
        #expect(!allows(WritePreconditions(ifMatch: .tags([EntityTag(#""x""#)])), stored: etag))
    }

    @Test func ifNoneMatchComparesWeakly() {
        let weak = EntityTag(etag, weak: true)
        #expect(allows(WritePreconditions(ifNoneMatch: .tags([EntityTag(#""x""#)])), stored: nil))
        #expect(allows(WritePreconditions(ifNoneMatch: .tags([EntityTag(#""x""#)])), stored: etag))
        #expect(!allows(WritePreconditions(ifNoneMatch: .tags([weak])), stored: etag))
        #expect(!allows(WritePreconditions(ifNoneMatch: .tags([EntityTag(#""x""#), EntityTag(etag)])), stored: etag))
        #expect(allows(WritePreconditions(ifNoneMatch: .any), stored: nil))
        #expect(!allows(WritePreconditions(ifNoneMatch: .any), stored: etag))
    }

    @Test func ifMatchIsEvaluatedFirstAndTheRefusalSaysWhy() {
        #expect(
            WritePreconditions(ifMatch: .tags([EntityTag(#""x""#)]), ifNoneMatch: .any).refusal(storedETag: etag)
                == "stored policy has ETag \(etag), not \"x\" (If-Match)")
        #expect(
            WritePreconditions(ifMatch: .any, ifNoneMatch: .any).refusal(storedETag: etag)
                == "a policy is already stored (If-None-Match: *)")
        #expect(WritePreconditions(ifMatch: .any).refusal(storedETag: nil) == "no policy is stored (If-Match: *)")
    }

    @Test func withoutConditionsTheServiceChecksNothing() {
        guard case .any = WritePreconditions().expectedDocument else {
            Issue.record("a write without conditions must expect any document")
            return
        }
        guard case .checked(let check) = WritePreconditions(ifNoneMatch: .any).expectedDocument else {
            Issue.record("a condition must become a check")
            return
        }
        #expect(check(nil) == nil)
        #expect(check(etag) == "a policy is already stored (If-None-Match: *)")
    }
}
