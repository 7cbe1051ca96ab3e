/// RFC 3339 UTC timestamps (`2026-11-27T16:00:00Z`) from unix seconds, without Foundation.
enum Timestamp {
    static func rfc3339(_ unixSeconds: Double) -> String {
        let total = Int(unixSeconds.rounded(.down))
        var days = total >= 0 ? total / 86_400 : (total - 86_399) / 86_400
        let secs = total - days * 86_400
        // Civil-from-days (Howard Hinnant's algorithm).
        days += 719_468
        let era = (days >= 0 ? days : days - 146_096) / 146_097
        let doe = days - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        guard (0...9999).contains(year) else {
            return
                "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(secs / 3600, 2)):\(pad(secs % 3600 / 60, 2)):\(pad(secs % 60, 2))Z"
        }
        // The usual case, written straight into the string's storage (status responses carry one).
        return String(unsafeUninitializedCapacity: 20) { out in
            func put(_ n: Int, _ width: Int, at offset: Int) {
                var n = n
                for i in (offset..<offset + width).reversed() {
                    out[i] = UInt8(ascii: "0") + UInt8(n % 10)
                    n /= 10
                }
            }
            put(year, 4, at: 0)
            put(month, 2, at: 5)
            put(day, 2, at: 8)
            put(secs / 3600, 2, at: 11)
            put(secs % 3600 / 60, 2, at: 14)
            put(secs % 60, 2, at: 17)
            (out[4], out[7], out[10]) = (UInt8(ascii: "-"), UInt8(ascii: "-"), UInt8(ascii: "T"))
            (out[13], out[16], out[19]) = (UInt8(ascii: ":"), UInt8(ascii: ":"), UInt8(ascii: "Z"))
            return 20
        }
    }

    private static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
