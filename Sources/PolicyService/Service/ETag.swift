import Crypto
import PolicyLanguage

/// The identity of a stored document: a quoted SHA-256 of its canonical JSON encoding
/// (sorted keys, no insignificant white space), so white space does not change it.
enum ETag {
    static func of(_ json: JSONValue) -> String {
        quoted(SHA256.hash(data: json.canonicalBytes))
    }

    /// For stored bytes that may not even be JSON (a corrupt file still has an identity).
    static func of(storedBytes bytes: [UInt8]) -> String {
        if let json = try? JSONParser().parse(bytes) { return of(json) }
        return quoted(SHA256.hash(data: bytes))
    }

    private static func quoted(_ digest: SHA256.Digest) -> String {
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        var out: [UInt8] = [UInt8(ascii: "\"")]
        for byte in digest {
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 0xF)])
        }
        out.append(UInt8(ascii: "\""))
        return String(decoding: out, as: UTF8.self)
    }
}
