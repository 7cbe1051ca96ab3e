import PolicyService
import Testing

@testable import PolicyAPI

/// If-Match and If-None-Match field values read as RFC 9110 writes them (sections 8.8.3, 13.1.1, 13.1.2).
@Suite struct ConditionalHeadersTests {
    @Test(arguments: [
        ("*", ETagCondition.any), (" * ", .any), ("\t*", .any),
        (#""abc""#, .tags([EntityTag(#""abc""#)])),
        (#"W/"abc""#, .tags([EntityTag(#""abc""#, weak: true)])),
        (#""""#, .tags([EntityTag(#""""#)])),
        (#""a", W/"b""#, .tags([EntityTag(#""a""#), EntityTag(#""b""#, weak: true)])),
        (#" "a" ,"b" "#, .tags([EntityTag(#""a""#), EntityTag(#""b""#)])),
        (#", "a",, ,"b","#, .tags([EntityTag(#""a""#), EntityTag(#""b""#)])),
        (#""!#$%&'()*+,-./:;<=>?@[\]^_`{|}~""#, .tags([EntityTag(#""!#$%&'()*+,-./:;<=>?@[\]^_`{|}~""#)])),
        (#""é""#, .tags([EntityTag(#""é""#)])),
    ])
    func wellFormedValues(_ value: String, _ expected: ETagCondition) {
        #expect(ConditionalHeaders.parse(value) == expected, "\(value)")
    }

    @Test(arguments: [
        "", " ", ",", " , ,", "Ϲ", "abc", #""abc"#, #"abc""#, #"w/"abc""#, #"W/abc"#, "W/", #"W/ "abc""#,
        #""a" "b""#, #""a"b"#, #""a";"b""#, #"*, "a""#, #""a", *"#, "**", #""a b""#, "\"a\u{1}\"", "\"a\u{7F}\"",
        "\"a\u{0}\"", #""a"""#, "\"a\"\u{B}",
    ])
    func malformedValues(_ value: String) {
        #expect(ConditionalHeaders.parse(value) == nil, "\(value.debugDescription)")
    }

    @Test func strongComparisonForIfMatchWeakForIfNoneMatch() {
        let etag = #""9f2c""#
        let weak = ETagCondition.tags([EntityTag(etag, weak: true)])
        #expect(!weak.matches(etag, weakly: false))
        #expect(weak.matches(etag, weakly: true))
        #expect(ETagCondition.tags([EntityTag(#""x""#), EntityTag(etag)]).matches(etag, weakly: false))
        #expect(!ETagCondition.tags([EntityTag(#""9F2C""#)]).matches(etag, weakly: true))
        #expect(ETagCondition.any.matches(etag, weakly: false))
    }
}
