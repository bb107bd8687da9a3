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
