import TradingModel

/// Exact decimal settings: `Rate`, `Money`, `Price`, `Quantity`.
///
/// Converted from the literal text (`0.012` → `Rate(raw: 1_200_000)`), never through `Double`.
/// Integers are accepted (`1000` → 1000 USDT); a value with more than 8 decimals, which would
/// need rounding, is an error; so is a string such as `"0.012"` (write the number unquoted).
extension ConfigSection {
    // MARK: Rate (a fraction: 0.012 is 1.2%)

    public func rate(_ key: String, default defaultValue: Rate, range: ClosedRange<Rate>? = nil) throws(ConfigError) -> Rate {
        try fixedPoint(key, default: defaultValue, range: range)
    }

    public func requiredRate(_ key: String, range: ClosedRange<Rate>? = nil) throws(ConfigError) -> Rate {
        try requiredFixedPoint(key, range: range)
    }

    public func optionalRate(_ key: String, range: ClosedRange<Rate>? = nil) throws(ConfigError) -> Rate? {
        try optionalFixedPoint(key, range: range)
    }

    // MARK: Money (USDT)

    public func money(_ key: String, default defaultValue: Money, range: ClosedRange<Money>? = nil) throws(ConfigError) -> Money {
        try fixedPoint(key, default: defaultValue, range: range)
    }

    public func requiredMoney(_ key: String, range: ClosedRange<Money>? = nil) throws(ConfigError) -> Money {
        try requiredFixedPoint(key, range: range)
    }

    public func optionalMoney(_ key: String, range: ClosedRange<Money>? = nil) throws(ConfigError) -> Money? {
        try optionalFixedPoint(key, range: range)
    }

    // MARK: Price

    public func price(_ key: String, default defaultValue: Price, range: ClosedRange<Price>? = nil) throws(ConfigError) -> Price {
        try fixedPoint(key, default: defaultValue, range: range)
    }

    public func requiredPrice(_ key: String, range: ClosedRange<Price>? = nil) throws(ConfigError) -> Price {
        try requiredFixedPoint(key, range: range)
    }

    public func optionalPrice(_ key: String, range: ClosedRange<Price>? = nil) throws(ConfigError) -> Price? {
        try optionalFixedPoint(key, range: range)
    }

    // MARK: Quantity

    public func quantity(_ key: String, default defaultValue: Quantity, range: ClosedRange<Quantity>? = nil) throws(ConfigError) -> Quantity {
        try fixedPoint(key, default: defaultValue, range: range)
    }

    public func requiredQuantity(_ key: String, range: ClosedRange<Quantity>? = nil) throws(ConfigError) -> Quantity {
        try requiredFixedPoint(key, range: range)
    }

    public func optionalQuantity(_ key: String, range: ClosedRange<Quantity>? = nil) throws(ConfigError) -> Quantity? {
        try optionalFixedPoint(key, range: range)
    }

    // MARK: Generic

    /// Any fixed-point type, with a default.
    public func fixedPoint<T: FixedPointValue>(_ key: String, default defaultValue: T, range: ClosedRange<T>? = nil) throws(ConfigError) -> T {
        try read(key, default: defaultValue) { value throws(ConfigError) in try fixedPointValue(key, value, range) }
    }

    /// Any fixed-point type, required.
    public func requiredFixedPoint<T: FixedPointValue>(_ key: String, range: ClosedRange<T>? = nil) throws(ConfigError) -> T {
        try readRequired(key) { value throws(ConfigError) in try fixedPointValue(key, value, range) }
    }

    /// Any fixed-point type, nil when absent.
    public func optionalFixedPoint<T: FixedPointValue>(_ key: String, range: ClosedRange<T>? = nil) throws(ConfigError) -> T? {
        try read(key) { value throws(ConfigError) in try fixedPointValue(key, value, range) }
    }

    private func fixedPointValue<T: FixedPointValue>(_ key: String, _ value: ConfigValue, _ range: ClosedRange<T>?) throws(ConfigError) -> T {
        guard let literal = value.numberLiteral else {
            throw wrongType(key, expected: "a decimal number", found: value)
        }
        guard Self.decimalPlaces(of: literal) <= FixedPoint.decimals else {
            throw invalidValue(key, value, "has more than \(FixedPoint.decimals) decimals")
        }
        guard let parsed = T(literal) else {
            throw ConfigError(kind: .outOfRange, file: document.file, line: value.line, key: fullKey(key),
                              message: "'\(fullKey(key))' = \(value.displayText) is out of range (magnitude at most \(T(raw: .max)))")
        }
        if let range, !range.contains(parsed) {
            throw outOfRange(key, value, "\(range.lowerBound)...\(range.upperBound)")
        }
        return parsed
    }

    /// Decimals needed to write a literal exactly (`0.0120` → 3, `1.5e-3` → 4, `12e2` → 0).
    static func decimalPlaces(of literal: String) -> Int {
        var mantissa = Substring(literal)
        var exponent = 0
        if let marker = literal.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = literal[..<marker]
            let text = literal[literal.index(after: marker)...]
            // Clamped so the arithmetic below cannot overflow; either bound is far outside 10⁻⁸…10¹⁰.
            exponent = min(max(Int(text) ?? (text.hasPrefix("-") ? -100_000 : 100_000), -100_000), 100_000)
        }
        guard let point = mantissa.firstIndex(of: ".") else { return max(0, -exponent) }
        var fraction = mantissa[mantissa.index(after: point)...]
        while fraction.last == "0" { fraction = fraction.dropLast() }
        return max(0, fraction.count - exponent)
    }
}
