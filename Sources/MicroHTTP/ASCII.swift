/// Byte-level helpers for header names, which are ASCII and compared without regard to case.
enum ASCII {
    /// Whether `a` and `b` are equal when ASCII letters are folded to lower case.
    static func caseInsensitiveEquals(_ a: some StringProtocol, _ b: some StringProtocol) -> Bool {
        guard a.utf8.count == b.utf8.count else { return false }
        return zip(a.utf8, b.utf8).allSatisfy { lower($0) == lower($1) }
    }

    /// Parses a non-negative decimal number; nil when empty, not all digits, or past `Int.max`.
    static func parseDecimal(_ text: UnsafePointer<CChar>) -> Int? {
        var value = 0
        var pointer = text
        guard pointer.pointee != 0 else { return nil }
        while pointer.pointee != 0 {
            let digit = Int(pointer.pointee) - 48
            guard (0...9).contains(digit) else { return nil }
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(digit)
            guard !overflow1, !overflow2 else { return nil }
            value = sum
            pointer += 1
        }
        return value
    }

    /// `text` as a String without building one when it has exactly the bytes of one of `known`
    /// (string literals: nothing to allocate, validate or release), else a new String.
    static func string(_ text: UnsafePointer<CChar>, knownValues known: [String]) -> String {
        for candidate in known where equals(candidate, text) { return candidate }
        return String(cString: text)
    }

    /// Whether the NUL-terminated `text` has exactly the bytes of `string`.
    static func equals(_ string: String, _ text: UnsafePointer<CChar>) -> Bool {
        var index = 0
        for byte in string.utf8 {
            // A shorter `text` stops here at its NUL, which no byte of a String literal matches.
            guard UInt8(bitPattern: text[index]) == byte else { return false }
            index += 1
        }
        return text[index] == 0
    }

    /// The methods and versions libmicrohttpd hands over that are answered without a new String.
    static let commonMethods = ["GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH"]
    static let commonVersions = ["HTTP/1.1", "HTTP/1.0"]

    private static func lower(_ byte: UInt8) -> UInt8 {
        (65...90).contains(byte) ? byte | 0x20 : byte
    }
}
