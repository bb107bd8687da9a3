/// Spans of time written as a quoted whole number and a unit: `"250ms"`, `"30s"`, `"5m"`, `"1h"`, `"2d"`.
extension ConfigSection {
    public func duration(_ key: String, default defaultValue: Duration, range: ClosedRange<Duration>? = nil) throws(ConfigError) -> Duration {
        try read(key, default: defaultValue) { value throws(ConfigError) in try durationValue(key, value, range) }
    }

    public func requiredDuration(_ key: String, range: ClosedRange<Duration>? = nil) throws(ConfigError) -> Duration {
        try readRequired(key) { value throws(ConfigError) in try durationValue(key, value, range) }
    }

    public func optionalDuration(_ key: String, range: ClosedRange<Duration>? = nil) throws(ConfigError) -> Duration? {
        try read(key) { value throws(ConfigError) in try durationValue(key, value, range) }
    }

    private func durationValue(_ key: String, _ value: ConfigValue, _ range: ClosedRange<Duration>?) throws(ConfigError) -> Duration {
        guard case .string(let text) = value.kind else {
            throw wrongType(key, expected: "a duration string such as \"30s\"", found: value)
        }
        guard let span = Self.parseDuration(text) else {
            throw invalidValue(key, value, "is not a duration: write a whole number and a unit ms, s, m, h or d (\"250ms\", \"30s\", \"5m\")")
        }
        if let range, !range.contains(span) {
            throw outOfRange(key, value, "\(Self.format(range.lowerBound))...\(Self.format(range.upperBound))")
        }
        return span
    }

    /// Parses `"<digits><unit>"`; nil for anything else (no sign, no decimals, no spaces).
    public static func parseDuration(_ text: String) -> Duration? {
        let digits = text.prefix { $0 >= "0" && $0 <= "9" }
        let unit = text.dropFirst(digits.count)
        guard !digits.isEmpty, digits.count <= 12, let amount = Int64(digits) else { return nil }
        switch unit {
        case "ms": return .milliseconds(amount)
        case "s": return .seconds(amount)
        case "m": return .seconds(amount * 60)
        case "h": return .seconds(amount * 3600)
        case "d": return .seconds(amount * 86_400)
        default: return nil
        }
    }

    /// Formats a span in the largest unit that writes it exactly (`"5m"`, `"250ms"`).
    public static func format(_ span: Duration) -> String {
        let (seconds, attoseconds) = span.components
        let milliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        for (unit, size) in [("d", Int64(86_400_000)), ("h", 3_600_000), ("m", 60_000), ("s", 1000)]
        where milliseconds != 0 && milliseconds % size == 0 {
            return "\(milliseconds / size)\(unit)"
        }
        return "\(milliseconds)ms"
    }
}
