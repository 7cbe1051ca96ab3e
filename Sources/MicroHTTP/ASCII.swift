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

    private static func lower(_ byte: UInt8) -> UInt8 {
        (65...90).contains(byte) ? byte | 0x20 : byte
    }
}
