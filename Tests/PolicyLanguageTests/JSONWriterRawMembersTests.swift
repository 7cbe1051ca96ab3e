import PolicyLanguage
import Testing

/// Members encoded once and spliced into later objects read exactly as if written in place.
@Suite struct JSONWriterRawMembersTests {
    @Test func splicedMembersEqualMembersWrittenInPlace() {
        var fixed = JSONWriter()
        fixed.beginObject()
        fixed.key("etag"); fixed.string("\"abc{}\"")
        fixed.key("rules"); fixed.int(2)
        let members = fixed.members
        #expect(String(decoding: members, as: UTF8.self) == #""etag":"\"abc{}\"","rules":2"#)

        var spliced = JSONWriter()
        spliced.beginArray()
        spliced.beginObject()
        spliced.rawMembers(members)
        spliced.key("peers"); spliced.int(0)
        spliced.endObject()
        spliced.beginObject()
        spliced.key("state"); spliced.string("running")
        spliced.rawMembers(members)
        spliced.rawMembers([])
        spliced.endObject()
        spliced.endArray()

        var direct = JSONWriter()
        direct.beginArray()
        direct.beginObject()
        direct.key("etag"); direct.string("\"abc{}\"")
        direct.key("rules"); direct.int(2)
        direct.key("peers"); direct.int(0)
        direct.endObject()
        direct.beginObject()
        direct.key("state"); direct.string("running")
        direct.key("etag"); direct.string("\"abc{}\"")
        direct.key("rules"); direct.int(2)
        direct.endObject()
        direct.endArray()
        #expect(spliced.bytes == direct.bytes)
    }
}
