import Foundation
import TradingModel

/// How numbers read on a phone: signed percentages with two decimals, USDT with two decimals
/// (rounded to the nearest cent), durations in whole seconds or minutes.
public enum AlertFormat {
    /// `-0.85%`, `+1.20%`.
    public static func percent(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        let text = String(format: "%.2f", abs(rounded))
        return (rounded < 0 ? "-" : "+") + text + "%"
    }

    /// `-8.39 USDT` (rounded to the cent).
    public static func usdt(_ money: Money) -> String {
        let cents = money.rounded(toMultipleOf: Money(raw: 1_000_000), .nearest)
        return (cents.isPositive ? "+" : "") + cents.formatted(decimals: 2) + " USDT"
    }

    /// `12 s`, `3 min`, `2 h 5 min`.
    public static func duration(_ span: Duration) -> String {
        let seconds = max(0, span.components.seconds)
        if seconds < 120 { return "\(seconds) s" }
        if seconds < 7200 { return "\(seconds / 60) min" }
        return "\(seconds / 3600) h \(seconds % 3600 / 60) min"
    }

    /// `12:04:05 UTC` of an instant.
    public static func clock(_ time: Timestamp) -> String {
        let text = time.iso8601
        let start = text.index(text.startIndex, offsetBy: 11)
        let end = text.index(start, offsetBy: 8)
        return String(text[start..<end]) + " UTC"
    }
}
