/// An instant in UTC, in milliseconds since the Unix epoch. The one timestamp type of the system.
public struct Timestamp: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var milliseconds: Int64

    @inlinable public init(milliseconds: Int64) { self.milliseconds = milliseconds }

    /// Instants from 0001-01-01T00:00:00.000Z to 9999-12-31T23:59:59.999Z: what a stored or
    /// received time may be. Values outside (`Int64.min` from a damaged row) are refused where
    /// they enter (`init(checkedMilliseconds:)`); arithmetic and formatting inside it cannot overflow.
    public static let representableRange: ClosedRange<Int64> = -62_135_596_800_000...253_402_300_799_999

    /// A timestamp when `milliseconds` lies in `representableRange`, else nil.
    public init?(checkedMilliseconds milliseconds: Int64) {
        guard Self.representableRange.contains(milliseconds) else { return nil }
        self.init(milliseconds: milliseconds)
    }

    @inlinable public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.milliseconds < rhs.milliseconds }

    /// This instant moved by a span.
    @inlinable public func advanced(by span: Duration) -> Timestamp {
        let (seconds, attoseconds) = span.components
        return Timestamp(milliseconds: milliseconds + seconds * 1000 + attoseconds / 1_000_000_000_000_000)
    }

    /// The span from `earlier` to this instant.
    @inlinable public func since(_ earlier: Timestamp) -> Duration { .milliseconds(milliseconds - earlier.milliseconds) }

    /// ISO 8601 UTC text, `2023-02-01T00:00:00.000Z`. Computed without Foundation or the clock.
    /// Outside `representableRange` (only a value that bypassed the checks) it is
    /// `out-of-range(<milliseconds> ms)`, never a trap.
    public var iso8601: String {
        guard Self.representableRange.contains(milliseconds) else { return "out-of-range(\(milliseconds) ms)" }
        let days = milliseconds >= 0 ? milliseconds / 86_400_000 : (milliseconds - 86_399_999) / 86_400_000
        let msOfDay = milliseconds - days * 86_400_000
        let (year, month, day) = Timestamp.civil(fromDays: days)
        let hour = msOfDay / 3_600_000
        let minute = (msOfDay / 60_000) % 60
        let second = (msOfDay / 1000) % 60
        let millis = msOfDay % 1000
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2)).\(pad(millis, 3))Z"
    }

    /// `YYYY-MM-DD` of the UTC day (used for daily loss limits).
    public var utcDay: Int64 {
        milliseconds >= 0 ? milliseconds / 86_400_000 : (milliseconds / 86_400_000) - (milliseconds % 86_400_000 == 0 ? 0 : 1)
    }

    public var description: String { iso8601 }

    /// Howard Hinnant's days-to-civil algorithm.
    static func civil(fromDays daysSinceEpoch: Int64) -> (Int64, Int64, Int64) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Parses `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM[:SS]Z` (UTC); nil otherwise.
    public init?(iso8601 text: String) {
        let bytes = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int64? {
            guard range.upperBound <= bytes.count else { return nil }
            var value: Int64 = 0
            for index in range {
                let byte = bytes[index]
                guard byte >= 48 && byte <= 57 else { return nil }
                value = value * 10 + Int64(byte - 48)
            }
            return value
        }
        guard bytes.count >= 10, bytes[4] == 45, bytes[7] == 45,
              let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var ms: Int64 = 0
        if bytes.count > 10 {
            guard bytes[10] == 84 || bytes[10] == 32, let hour = number(11..<13), bytes.count > 15, bytes[13] == 58,
                  let minute = number(14..<16), hour < 24, minute < 60
            else { return nil }
            var second: Int64 = 0
            var end = 16
            if bytes.count > 16 && bytes[16] == 58 {
                guard let parsed = number(17..<19), parsed < 60 else { return nil }
                second = parsed
                end = 19
            }
            if end < bytes.count {
                guard end == bytes.count - 1, bytes[end] == 90 else { return nil }
            }
            ms = ((hour * 60 + minute) * 60 + second) * 1000
        }
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * mp + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        self.init(milliseconds: days * 86_400_000 + ms)
    }
}
