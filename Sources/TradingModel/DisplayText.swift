/// Text from outside (file contents, keys, paths, stored values) made safe to print on one line.
///
/// Control characters — C0 (`\u{00}`–`\u{1F}`), DEL and C1 (`\u{80}`–`\u{9F}`, which some
/// terminals read as escape sequences) — are written as `\n`, `\t`, `\r`, `\e` or `\u{XX}`, a
/// backslash as `\\`, and bytes that are not UTF-8 as `\xNN`. An error message that quotes a
/// header of `\e[2J…` therefore shows it instead of clearing the terminal.
public enum DisplayText {
    /// `text` with control characters and backslashes escaped.
    public static func escaped(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars { append(scalar, to: &result) }
        return result
    }

    /// UTF-8 `bytes` as escaped text; each byte that is not part of valid UTF-8 becomes `\xNN`.
    public static func escaped<Bytes: Collection>(bytes: Bytes) -> String where Bytes.Element == UInt8 {
        let bytes = Array(bytes)
        var result = ""
        var index = 0
        while index < bytes.count {
            let length = sequenceLength(bytes[index])
            if length > 0, index + length <= bytes.count {
                var decoder = UTF8()
                var sequence = bytes[index..<index + length].makeIterator()
                if case .scalarValue(let scalar) = decoder.decode(&sequence) {
                    append(scalar, to: &result)
                    index += length
                    continue
                }
            }
            result += "\\x" + hex(bytes[index])
            index += 1
        }
        return result
    }

    /// `text` with only its control characters escaped (backslashes kept): for a message that
    /// already escaped what it quotes, as the last guard before it is printed.
    public static func controlsEscaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            if isControl(scalar) { append(scalar, to: &result) } else { result.unicodeScalars.append(scalar) }
        }
        return result
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    /// `escaped`, cut to `limit` characters of the original with `…` when longer.
    public static func escaped(_ text: String, limit: Int) -> String {
        guard text.count > limit else { return escaped(text) }
        return escaped(String(text.prefix(limit))) + "…"
    }

    private static func append(_ scalar: Unicode.Scalar, to result: inout String) {
        switch scalar {
        case "\\": result += "\\\\"
        case "\n": result += "\\n"
        case "\t": result += "\\t"
        case "\r": result += "\\r"
        case "\u{1B}": result += "\\e"
        default:
            if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
                result += "\\u{" + hex(UInt8(scalar.value)) + "}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
    }

    /// Length of the UTF-8 sequence a lead byte starts (0: not a lead byte).
    private static func sequenceLength(_ byte: UInt8) -> Int {
        switch byte {
        case 0x00...0x7F: 1
        case 0xC2...0xDF: 2
        case 0xE0...0xEF: 3
        case 0xF0...0xF4: 4
        default: 0
        }
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0x0F)])
    }
}
