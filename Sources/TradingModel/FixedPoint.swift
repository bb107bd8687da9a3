/// Shared arithmetic for the fixed-point value types (`Price`, `Quantity`, `Money`, `Rate`).
///
/// Every value is an `Int64` count of 10⁻⁸ units (Binance quotes at most 8 decimals). Products
/// and quotients go through `Int128` so that no intermediate overflows; the caller always names
/// the rounding rule. No `Double` and no Foundation `Decimal` anywhere on this path.
public enum FixedPoint {
    /// Number of decimal places carried by every fixed-point value.
    public static let decimals = 8
    /// `10^decimals`: the raw value of `1`.
    public static let scale: Int64 = 100_000_000

    /// Divides a wide value, rounding as requested. Traps if the result does not fit `Int64`
    /// (an invariant violation: such a value is not a real price, quantity or amount). Values
    /// that come from data use `checkedDivide` instead.
    @inlinable
    public static func divide(_ numerator: Int128, by denominator: Int128, rounding: Rounding) -> Int64 {
        precondition(denominator != 0, "fixed-point division by zero")
        return Int64(roundedQuotient(numerator, by: denominator, rounding: rounding))
    }

    /// `divide`, or nil when the divisor is zero or the result does not fit `Int64`.
    @inlinable
    public static func checkedDivide(_ numerator: Int128, by denominator: Int128, rounding: Rounding) -> Int64? {
        guard denominator != 0 else { return nil }
        return Int64(exactly: roundedQuotient(numerator, by: denominator, rounding: rounding))
    }

    /// `numerator / denominator` rounded as requested, in `Int128` (denominator non-zero).
    @inlinable
    static func roundedQuotient(_ numerator: Int128, by denominator: Int128, rounding: Rounding) -> Int128 {
        var quotient = numerator / denominator
        let remainder = numerator % denominator
        if remainder != 0 {
            let positive = (numerator < 0) == (denominator < 0)
            switch rounding {
            case .down:
                if !positive { quotient -= 1 }
            case .up:
                if positive { quotient += 1 }
            case .towardZero:
                break
            case .nearest:
                let twice = remainder.magnitude * 2
                if twice >= denominator.magnitude { quotient += positive ? 1 : -1 }
            }
        }
        return quotient
    }

    /// `a × b / divisor` with an `Int128` intermediate.
    @inlinable
    public static func multiplyDivide(_ a: Int64, _ b: Int64, _ divisor: Int64, rounding: Rounding) -> Int64 {
        divide(Int128(a) * Int128(b), by: Int128(divisor), rounding: rounding)
    }

    /// `multiplyDivide`, or nil when the divisor is zero or the result does not fit `Int64`.
    @inlinable
    public static func checkedMultiplyDivide(_ a: Int64, _ b: Int64, _ divisor: Int64, rounding: Rounding) -> Int64? {
        checkedDivide(Int128(a) * Int128(b), by: Int128(divisor), rounding: rounding)
    }

    /// Parses a plain decimal (`-12.345`, `0.1`, `1e-5`, `+3`) into raw units.
    /// Digits beyond the 8th decimal are rounded half away from zero.
    /// Returns nil for anything else: empty text, `NaN`, `inf`, stray characters, overflow.
    /// `@inlinable` so callers parsing raw bytes (the candle reader) get a specialised copy.
    @inlinable
    public static func parse<C: Collection>(utf8 bytes: C) -> Int64? where C.Element == UInt8 {
        var index = bytes.startIndex
        guard index != bytes.endIndex else { return nil }
        var negative = false
        if bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
            negative = bytes[index] == UInt8(ascii: "-")
            index = bytes.index(after: index)
        }
        var mantissa: Int128 = 0
        var fractionDigits = 0
        var digitCount = 0
        var seenPoint = false
        var exponent = 0
        while index != bytes.endIndex {
            let byte = bytes[index]
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                if mantissa < Int128(1) << 100 {
                    mantissa = mantissa * 10 + Int128(byte - UInt8(ascii: "0"))
                    if seenPoint { fractionDigits += 1 }
                } else if !seenPoint {
                    return nil
                }
                digitCount += 1
            } else if byte == UInt8(ascii: ".") && !seenPoint {
                seenPoint = true
            } else if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                guard digitCount > 0 else { return nil }
                let rest = bytes[bytes.index(after: index)...]
                guard let parsedExponent = parseExponent(rest) else { return nil }
                exponent = parsedExponent
                index = bytes.endIndex
                break
            } else {
                return nil
            }
            index = bytes.index(after: index)
        }
        guard digitCount > 0 else { return nil }
        let shift = decimals - fractionDigits + exponent
        var value: Int128
        if shift >= 0 {
            guard shift <= 30 else { return mantissa == 0 ? 0 : nil }
            value = mantissa
            for _ in 0..<shift {
                value *= 10
                if value > Int128(Int64.max) { return nil }
            }
        } else {
            guard -shift <= 36 else { return 0 }
            var divisor: Int128 = 1
            for _ in 0 ..< -shift { divisor *= 10 }
            value = mantissa / divisor
            if (mantissa % divisor) * 2 >= divisor { value += 1 }
        }
        guard value <= Int128(Int64.max) else { return nil }
        return Int64(value) * (negative ? -1 : 1)
    }

    @usableFromInline
    static func parseExponent<C: Collection>(_ bytes: C) -> Int? where C.Element == UInt8 {
        var index = bytes.startIndex
        guard index != bytes.endIndex else { return nil }
        var negative = false
        if bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
            negative = bytes[index] == UInt8(ascii: "-")
            index = bytes.index(after: index)
        }
        guard index != bytes.endIndex else { return nil }
        var value = 0
        while index != bytes.endIndex {
            let byte = bytes[index]
            guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"), value < 1000 else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
            index = bytes.index(after: index)
        }
        return negative ? -value : value
    }

    /// Formats raw units as a plain decimal with no exponent and no trailing zeros
    /// (`fractionDigits` forces an exact number of decimals, e.g. 3 for a 0.001 tick).
    public static func format(_ raw: Int64, fractionDigits: Int? = nil) -> String {
        let negative = raw < 0
        let magnitude = raw.magnitude
        let integerPart = magnitude / UInt64(scale)
        var fraction = magnitude % UInt64(scale)
        var digits = decimals
        if let wanted = fractionDigits {
            precondition(wanted >= 0 && wanted <= decimals, "fractionDigits out of range")
            var cut = decimals - wanted
            var divisor: UInt64 = 1
            while cut > 0 { divisor *= 10; cut -= 1 }
            fraction /= divisor
            digits = wanted
        } else {
            while digits > 0 && fraction % 10 == 0 { fraction /= 10; digits -= 1 }
        }
        var text = negative ? "-" : ""
        text += String(integerPart)
        if digits > 0 {
            var fractionText = String(fraction)
            while fractionText.count < digits { fractionText = "0" + fractionText }
            text += "." + fractionText
        }
        return text
    }

    /// Number of decimals a step needs (`0.001` → 3, `1` → 0).
    public static func decimalPlaces(ofStep raw: Int64) -> Int {
        var value = raw
        var places = decimals
        while places > 0 && value % 10 == 0 { value /= 10; places -= 1 }
        return places
    }
}

/// How a value that falls between two representable values is resolved. Every call that can
/// lose precision names one of these; there is no implicit default.
public enum Rounding: Sendable, Hashable {
    /// Toward negative infinity (floor).
    case down
    /// Toward positive infinity (ceiling).
    case up
    /// Toward zero (truncate).
    case towardZero
    /// To the nearest value, halves away from zero.
    case nearest
}

/// Behaviour shared by every fixed-point type: construction, parsing, arithmetic, formatting.
public protocol FixedPointValue: Sendable, Hashable, Comparable, CustomStringConvertible, Codable,
    ExpressibleByIntegerLiteral
{
    /// The value in 10⁻⁸ units.
    var raw: Int64 { get }
    init(raw: Int64)
}

extension FixedPointValue {
    @inlinable public static var zero: Self { Self(raw: 0) }

    /// A whole number of units (`Money(units: 1000)` is 1000 USDT).
    @inlinable public init(units: Int64) { self.init(raw: units * FixedPoint.scale) }

    public init(integerLiteral value: Int64) { self.init(raw: value * FixedPoint.scale) }

    /// Parses a decimal string exactly (`"2.224"`); nil when it is not a finite decimal.
    public init?(_ text: String) {
        var copy = text
        guard let raw = copy.withUTF8({ FixedPoint.parse(utf8: $0) }) else { return nil }
        self.init(raw: raw)
    }

    public var description: String { FixedPoint.format(raw) }

    /// Lossy conversion for display, indicators and statistics only; never feed it back into money.
    @inlinable public var doubleValue: Double { Double(raw) / Double(FixedPoint.scale) }

    @inlinable public var isZero: Bool { raw == 0 }
    @inlinable public var isPositive: Bool { raw > 0 }
    @inlinable public var isNegative: Bool { raw < 0 }
    @inlinable public var magnitude: Self { Self(raw: raw < 0 ? -raw : raw) }

    @inlinable public static func < (lhs: Self, rhs: Self) -> Bool { lhs.raw < rhs.raw }
    @inlinable public static func + (lhs: Self, rhs: Self) -> Self { Self(raw: lhs.raw + rhs.raw) }
    @inlinable public static func - (lhs: Self, rhs: Self) -> Self { Self(raw: lhs.raw - rhs.raw) }
    @inlinable public static prefix func - (value: Self) -> Self { Self(raw: -value.raw) }
    @inlinable public static func += (lhs: inout Self, rhs: Self) { lhs = lhs + rhs }
    @inlinable public static func -= (lhs: inout Self, rhs: Self) { lhs = lhs - rhs }

    /// Multiplies by a whole number.
    @inlinable public static func * (lhs: Self, rhs: Int64) -> Self { Self(raw: lhs.raw * rhs) }

    /// Rounds to a multiple of `step` (a positive value of the same type). A value within one
    /// step of `Int64`'s bound that would round beyond it takes the last multiple inside instead.
    @inlinable
    public func rounded(toMultipleOf step: Self, _ rounding: Rounding) -> Self {
        precondition(step.raw > 0, "rounding step must be positive")
        let units = FixedPoint.divide(Int128(raw), by: Int128(step.raw), rounding: rounding)
        let (product, overflow) = units.multipliedReportingOverflow(by: step.raw)
        guard !overflow else { return Self(raw: (units > 0 ? units - 1 : units + 1) * step.raw) }
        return Self(raw: product)
    }

    /// True when the value is an exact multiple of `step`.
    @inlinable public func isMultiple(of step: Self) -> Bool { step.raw > 0 && raw % step.raw == 0 }

    /// Formats with exactly `places` decimals (for exchange requests: `"2.250"` for a 0.001 tick).
    public func formatted(decimals places: Int) -> String { FixedPoint.format(raw, fractionDigits: places) }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = Self(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a decimal: \(text)")
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
