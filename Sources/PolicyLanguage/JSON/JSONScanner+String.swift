extension JSONScanner {
    /// Parses a string whose opening quote was consumed; the cursor ends after the closing quote.
    mutating func parseString() throws(JSONError) -> String {
        let start = index
        // Fast path: no escapes, the bytes are the string.
        while index < buffer.count {
            let byte = buffer[index]
            if byte == JSONByte.quote {
                let string = String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<index]), as: UTF8.self)
                index += 1
                return string
            }
            if byte == JSONByte.backslash { break }
            if byte < 0x20 { throw error("control character 0x\(byte.jsonHexDigits) in a string must be escaped") }
            if byte < 0x80 { index += 1 } else { try skipUTF8Sequence() }
        }
        guard index < buffer.count else { throw JSONError(message: "unterminated string", offset: start - 1) }
        var utf8: [UInt8] = []
        utf8.reserveCapacity(index - start + 16)
        utf8.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start..<index]))
        while index < buffer.count {
            let byte = buffer[index]
            if byte == JSONByte.quote {
                index += 1
                return String(decoding: utf8, as: UTF8.self)
            }
            if byte == JSONByte.backslash {
                try parseEscape(into: &utf8)
            } else if byte < 0x20 {
                throw error("control character 0x\(byte.jsonHexDigits) in a string must be escaped")
            } else if byte < 0x80 {
                utf8.append(byte)
                index += 1
            } else {
                let sequenceStart = index
                try skipUTF8Sequence()
                utf8.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[sequenceStart..<index]))
            }
        }
        throw JSONError(message: "unterminated string", offset: start - 1)
    }

    /// Decodes one escape at the cursor (a backslash) and appends its UTF-8.
    private mutating func parseEscape(into utf8: inout [UInt8]) throws(JSONError) {
        let escapeStart = index
        index += 1
        guard index < buffer.count else { throw JSONError(message: "unterminated string", offset: escapeStart) }
        let byte = buffer[index]
        index += 1
        switch byte {
        case JSONByte.quote, JSONByte.backslash, JSONByte.slash: utf8.append(byte)
        case UInt8(ascii: "b"): utf8.append(0x08)
        case UInt8(ascii: "f"): utf8.append(0x0C)
        case UInt8(ascii: "n"): utf8.append(0x0A)
        case UInt8(ascii: "r"): utf8.append(0x0D)
        case UInt8(ascii: "t"): utf8.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try parseHex4(escapeStart: escapeStart)
            if (0xDC00...0xDFFF).contains(scalar) {
                throw JSONError(
                    message: "lone low surrogate \\u\(String(scalar, radix: 16, uppercase: true)) in a string", offset: escapeStart)
            }
            if (0xD800...0xDBFF).contains(scalar) {
                let lowStart = index
                guard buffer.count - index >= 6, buffer[index] == JSONByte.backslash, buffer[index + 1] == UInt8(ascii: "u") else {
                    throw JSONError(
                        message: "lone high surrogate \\u\(String(scalar, radix: 16, uppercase: true)) in a string", offset: escapeStart)
                }
                index += 2
                let low = try parseHex4(escapeStart: lowStart)
                guard (0xDC00...0xDFFF).contains(low) else {
                    throw JSONError(
                        message: "lone high surrogate \\u\(String(scalar, radix: 16, uppercase: true)) in a string", offset: escapeStart)
                }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            }
            appendUTF8(scalar, to: &utf8)
        default:
            throw JSONError(message: "invalid escape in a string", offset: escapeStart)
        }
    }

    private mutating func parseHex4(escapeStart: Int) throws(JSONError) -> UInt32 {
        guard buffer.count - index >= 4 else { throw JSONError(message: "invalid \\u escape in a string", offset: escapeStart) }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = buffer[index]
            let digit: UInt8
            switch byte {
            case JSONByte.zero...JSONByte.nine: digit = byte - JSONByte.zero
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw JSONError(message: "invalid \\u escape in a string", offset: escapeStart)
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    private func appendUTF8(_ scalar: UInt32, to utf8: inout [UInt8]) {
        switch scalar {
        case ..<0x80:
            utf8.append(UInt8(scalar))
        case ..<0x800:
            utf8.append(UInt8(0xC0 | scalar >> 6))
            utf8.append(UInt8(0x80 | scalar & 0x3F))
        case ..<0x10000:
            utf8.append(UInt8(0xE0 | scalar >> 12))
            utf8.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            utf8.append(UInt8(0x80 | scalar & 0x3F))
        default:
            utf8.append(UInt8(0xF0 | scalar >> 18))
            utf8.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            utf8.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            utf8.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    /// Steps over one multi-byte UTF-8 sequence at the cursor, rejecting overlong
    /// forms, surrogates, values above U+10FFFF and truncated sequences (Unicode table 3-7).
    private mutating func skipUTF8Sequence() throws(JSONError) {
        let lead = buffer[index]
        let length: Int
        var secondRange: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; secondRange = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; secondRange = 0x80...0x9F
        case 0xF0: length = 4; secondRange = 0x90...0xBF
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; secondRange = 0x80...0x8F
        default: throw error("invalid UTF-8 byte 0x\(lead.jsonHexDigits)")
        }
        guard buffer.count - index >= length, secondRange.contains(buffer[index + 1]) else {
            throw error("invalid UTF-8 sequence")
        }
        for k in 2..<length where buffer[index + k] & 0xC0 != 0x80 {
            throw error("invalid UTF-8 sequence")
        }
        index += length
    }
}
