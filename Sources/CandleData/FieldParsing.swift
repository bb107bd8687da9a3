import TradingModel

/// Byte-level number parsing shared by the candle and funding readers.
enum FieldParsing {
    /// A non-negative decimal integer of at most 18 digits (millisecond times, trade counts).
    @inline(__always)
    static func parseInteger(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard !bytes.isEmpty, bytes.count <= 18 else { return nil }
        var value: Int64 = 0
        for byte in bytes {
            let digit = byte &- 0x30
            guard digit < 10 else { return nil }
            value = value &* 10 &+ Int64(digit)
        }
        return value
    }

    /// True for text shaped like a decimal number (`-12.5`, `3e20`, 25 digits): what failed to
    /// parse only because it is out of range, not because it is not a number.
    static func isWellFormedNumber(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        if index < bytes.count && (bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+")) { index += 1 }
        var digits = 0
        var seenPoint = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte >= 0x30 && byte <= 0x39 { digits += 1 } else if byte == UInt8(ascii: ".") && !seenPoint { seenPoint = true } else { break }
            index += 1
        }
        guard digits > 0 else { return false }
        if index < bytes.count && (bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E")) {
            index += 1
            if index < bytes.count && (bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+")) { index += 1 }
            let start = index
            while index < bytes.count && bytes[index] >= 0x30 && bytes[index] <= 0x39 { index += 1 }
            guard index > start else { return false }
        }
        return index == bytes.count
    }

    /// True for `nan`, `inf`, `infinity` in any case, with an optional sign: text that a float
    /// writer produced for a non-finite value, reported as `notFinite` rather than `unparsable`.
    static func isNonFiniteText(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var text = String(decoding: bytes, as: UTF8.self).lowercased()
        if text.hasPrefix("-") || text.hasPrefix("+") { text.removeFirst() }
        return text == "nan" || text == "inf" || text == "infinity"
    }

    /// The field's text, for error messages only: cut to 40 bytes, control characters and bytes
    /// that are not UTF-8 escaped (`DisplayText`), so a message can never drive the terminal.
    static func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        let text = DisplayText.escaped(bytes: bytes.prefix(40))
        return bytes.count > 40 ? text + "…" : text
    }
}
