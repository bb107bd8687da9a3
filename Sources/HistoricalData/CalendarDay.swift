import TradingModel

/// A UTC calendar day (`2024-01-31`), the unit of the archive's daily files and of download ranges.
public struct CalendarDay: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Days since 1970-01-01.
    public let daysSinceEpoch: Int64

    public init(daysSinceEpoch: Int64) { self.daysSinceEpoch = daysSinceEpoch }

    /// Parses `YYYY-MM-DD`; nil for anything else, including days that do not exist (`2023-02-30`).
    public init?(_ text: String) {
        guard text.utf8.count == 10, let stamp = Timestamp(iso8601: text) else { return nil }
        let day = CalendarDay(containing: stamp)
        guard day.description == text else { return nil }
        self = day
    }

    /// The day containing `instant`.
    public init(containing instant: Timestamp) { daysSinceEpoch = instant.utcDay }

    /// 00:00:00.000 UTC of the day, in milliseconds.
    public var startMilliseconds: Int64 { daysSinceEpoch * 86_400_000 }
    /// 00:00 UTC of the next day, in milliseconds (exclusive end).
    public var endMilliseconds: Int64 { startMilliseconds + 86_400_000 }

    public var month: CalendarMonth {
        let parts = Timestamp(milliseconds: startMilliseconds).iso8601.prefix(7).split(separator: "-")
        return CalendarMonth(year: Int(parts[0]) ?? 1970, month: Int(parts[1]) ?? 1)
    }

    public func adding(days: Int64) -> CalendarDay { CalendarDay(daysSinceEpoch: daysSinceEpoch + days) }

    public var description: String { String(Timestamp(milliseconds: startMilliseconds).iso8601.prefix(10)) }

    public static func < (lhs: CalendarDay, rhs: CalendarDay) -> Bool { lhs.daysSinceEpoch < rhs.daysSinceEpoch }
}

/// A UTC calendar month (`2024-01`), the unit of the archive's monthly files.
public struct CalendarMonth: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    /// 1 … 12.
    public let month: Int

    public init(year: Int, month: Int) {
        self.year = year
        self.month = month
    }

    public var firstDay: CalendarDay {
        CalendarDay(String(format4(year) + "-" + format2(month) + "-01")) ?? CalendarDay(daysSinceEpoch: 0)
    }

    public var next: CalendarMonth { month == 12 ? CalendarMonth(year: year + 1, month: 1) : CalendarMonth(year: year, month: month + 1) }
    public var previous: CalendarMonth { month == 1 ? CalendarMonth(year: year - 1, month: 12) : CalendarMonth(year: year, month: month - 1) }
    public var lastDay: CalendarDay { next.firstDay.adding(days: -1) }

    public var description: String { format4(year) + "-" + format2(month) }

    public static func < (lhs: CalendarMonth, rhs: CalendarMonth) -> Bool { (lhs.year, lhs.month) < (rhs.year, rhs.month) }
}

private func format2(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
private func format4(_ value: Int) -> String {
    let text = String(value)
    return String(repeating: "0", count: max(0, 4 - text.count)) + text
}
