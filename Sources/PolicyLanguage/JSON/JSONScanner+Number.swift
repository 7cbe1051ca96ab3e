extension JSONScanner {
    /// Parses a number at the cursor: `.int` when written without fraction or exponent
    /// and it fits in Int, `.double` otherwise; a value beyond Double's range is an error.
    mutating func parseNumber() throws(JSONError) -> JSONValue {
        let start = index
        let negative = buffer[index] == JSONByte.minus
        if negative { index += 1 }
        guard index < buffer.count, isDigit(buffer[index]) else {
            throw JSONError(message: "invalid number: expected a digit", offset: start)
        }
        // The significant digits, as long as they fit exactly (for Clinger's fast path).
        var mantissa: UInt64 = 0
        var mantissaExact = true
        var fractionDigits = 0
        if buffer[index] == JSONByte.zero {
            index += 1
            if index < buffer.count, isDigit(buffer[index]) {
                throw JSONError(message: "invalid number: leading zero", offset: start)
            }
        } else {
            while index < buffer.count, isDigit(buffer[index]) {
                accumulate(buffer[index], into: &mantissa, exact: &mantissaExact)
                index += 1
            }
        }
        var isInteger = true
        if index < buffer.count, buffer[index] == JSONByte.dot {
            isInteger = false
            index += 1
            guard index < buffer.count, isDigit(buffer[index]) else {
                throw JSONError(message: "invalid number: expected a digit after '.'", offset: start)
            }
            while index < buffer.count, isDigit(buffer[index]) {
                accumulate(buffer[index], into: &mantissa, exact: &mantissaExact)
                fractionDigits += 1
                index += 1
            }
        }
        var exponent = 0
        if index < buffer.count, buffer[index] | 0x20 == UInt8(ascii: "e") {
            isInteger = false
            index += 1
            var exponentNegative = false
            if index < buffer.count, buffer[index] == JSONByte.minus || buffer[index] == JSONByte.plus {
                exponentNegative = buffer[index] == JSONByte.minus
                index += 1
            }
            guard index < buffer.count, isDigit(buffer[index]) else {
                throw JSONError(message: "invalid number: expected a digit in the exponent", offset: start)
            }
            while index < buffer.count, isDigit(buffer[index]) {
                if exponent < 100_000 { exponent = exponent * 10 + Int(buffer[index] - JSONByte.zero) }
                index += 1
            }
            if exponentNegative { exponent = -exponent }
        }
        if isInteger, mantissaExact {
            if !negative, mantissa <= UInt64(Int.max) { return .int(Int(mantissa)) }
            if negative, mantissa <= UInt64(Int.max) + 1 { return .int(Int(truncatingIfNeeded: 0 &- mantissa)) }
        }
        // Clinger's fast path: an exact mantissa below 2^53 and a power of ten Double holds exactly.
        let scale = exponent - fractionDigits
        if mantissaExact, mantissa < 1 << 53, (-22...22).contains(scale) {
            let magnitude = scale < 0 ? Double(mantissa) / Self.powersOfTen[-scale] : Double(mantissa) * Self.powersOfTen[scale]
            return .double(negative ? -magnitude : magnitude)
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<index]), as: UTF8.self)
        guard let value = Double(text), value.isFinite else {
            throw JSONError(message: "number out of range", offset: start)
        }
        return .double(value)
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        byte &- JSONByte.zero < 10
    }

    private func accumulate(_ digit: UInt8, into mantissa: inout UInt64, exact: inout Bool) {
        guard exact else { return }
        let (times10, overflow1) = mantissa.multipliedReportingOverflow(by: 10)
        let (sum, overflow2) = times10.addingReportingOverflow(UInt64(digit - JSONByte.zero))
        if overflow1 || overflow2 { exact = false } else { mantissa = sum }
    }

    private static let powersOfTen: [Double] = (0...22).map { power in
        var value = 1.0
        for _ in 0..<power { value *= 10 }
        return value
    }
}
