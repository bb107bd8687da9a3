import TradingModel

/// Appends JSON text to a byte buffer without Foundation: integers, fixed-point decimals,
/// escaped strings. Used for the report's embedded data (hundreds of thousands of numbers), so
/// numbers are written digit by digit with no `String` per value.
struct ReportJSON {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int) { bytes.reserveCapacity(capacity) }

    mutating func raw(_ text: String) { bytes.append(contentsOf: text.utf8) }

    mutating func byte(_ character: UInt8) { bytes.append(character) }

    /// A decimal integer.
    mutating func int(_ value: Int64) {
        if value < 0 {
            bytes.append(UInt8(ascii: "-"))
            unsigned(value.magnitude)
        } else {
            unsigned(UInt64(value))
        }
    }

    private mutating func unsigned(_ value: UInt64) {
        if value < 10 {
            bytes.append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var rest = value
        withUnsafeMutableBytes(of: &digits) { buffer in
            while rest > 0 {
                buffer[count] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
                count += 1
            }
            for index in stride(from: count - 1, through: 0, by: -1) { bytes.append(buffer[index]) }
        }
    }

    /// A fixed-point raw value (`FixedPoint.scale` = 10^8) as a JSON number, trailing zeros dropped.
    mutating func decimal(_ raw: Int64) {
        if raw < 0 { bytes.append(UInt8(ascii: "-")) }
        let magnitude = raw.magnitude
        let scale = UInt64(FixedPoint.scale)
        unsigned(magnitude / scale)
        var fraction = magnitude % scale
        guard fraction != 0 else { return }
        bytes.append(UInt8(ascii: "."))
        var divisor = scale / 10
        while fraction != 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(fraction / divisor))
            fraction %= divisor
            divisor /= 10
        }
    }

    /// A JSON number for a display Double (6 significant decimals are plenty for a chart).
    mutating func double(_ value: Double) {
        guard value.isFinite else { raw("null"); return }
        raw(DisplayNumber.fixed(value, 6))
    }

    /// A JSON string; quotes, backslashes, control characters and `<` escaped (the JSON sits in a
    /// `<script>` element, so `</script>` must not appear in it).
    mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for unit in text.utf8 {
            switch unit {
            case UInt8(ascii: "\""): raw("\\\"")
            case UInt8(ascii: "\\"): raw("\\\\")
            case UInt8(ascii: "<"): raw("\\u003c")
            case 0..<0x20:
                raw("\\u00")
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(hex[Int(unit >> 4)])
                bytes.append(hex[Int(unit & 0xF)])
            default: bytes.append(unit)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func key(_ name: String) {
        string(name)
        bytes.append(UInt8(ascii: ":"))
    }

    /// `[a,b,c]` of `values` written by `element`.
    mutating func array<C: Collection>(_ values: C, _ element: (inout ReportJSON, C.Element) -> Void) {
        bytes.append(UInt8(ascii: "["))
        var first = true
        for value in values {
            if !first { bytes.append(UInt8(ascii: ",")) }
            first = false
            element(&self, value)
        }
        bytes.append(UInt8(ascii: "]"))
    }
}
