import Testing

@testable import PolicyAPI

@Suite struct TimestampTests {
    @Test func unixSecondsAreWrittenAsRFC3339UTC() {
        #expect(Timestamp.rfc3339(0) == "1970-01-01T00:00:00Z")
        #expect(Timestamp.rfc3339(1_795_795_200) == "2026-11-27T16:00:00Z")
        #expect(Timestamp.rfc3339(1_795_795_200.999) == "2026-11-27T16:00:00Z")
        #expect(Timestamp.rfc3339(951_827_696) == "2000-02-29T12:34:56Z")
        #expect(Timestamp.rfc3339(-1) == "1969-12-31T23:59:59Z")
        #expect(Timestamp.rfc3339(253_402_300_799) == "9999-12-31T23:59:59Z")
        #expect(Timestamp.rfc3339(253_402_300_800) == "10000-01-01T00:00:00Z")
    }
}
