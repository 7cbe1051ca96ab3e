import PolicyLanguage
import Testing

/// Integers are written digit by digit (no String in between); the text must be exactly
/// what Swift's own description gives, and strings without escapes are copied as they are.
@Suite struct JSONWriterNumberTests {
    @Test(arguments: [0, 7, 9, 10, 42, 99, 100, 65535, 4_294_967_295, -1, -10, -65535, Int.max, Int.min])
    func integersAreWrittenAsTheirDecimalText(_ value: Int) {
        var w = JSONWriter()
        w.beginArray()
        w.int(value)
        w.int(value)
        w.endArray()
        #expect(String(decoding: w.bytes, as: UTF8.self) == "[\(value),\(value)]")
    }

    @Test func stringsWithAndWithoutEscapes() {
        var w = JSONWriter()
        w.beginObject()
        w.key("plain"); w.string("etag-\u{e9}-ok")
        w.key("quoted"); w.string("say \"hi\"\\\n")
        w.endObject()
        #expect(String(decoding: w.bytes, as: UTF8.self) == #"{"plain":"etag-é-ok","quoted":"say \"hi\"\\\u000a"}"#)
    }
}
