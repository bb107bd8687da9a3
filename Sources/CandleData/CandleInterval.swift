/// The span of one bar (`1m`, `5m`, `1h`, ...), in milliseconds.
public struct CandleInterval: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Bar length in milliseconds; always positive.
    public let milliseconds: Int64

    public init?(milliseconds: Int64) {
        guard milliseconds > 0 else { return nil }
        self.milliseconds = milliseconds
    }

    /// Parses a Binance interval label: a positive number followed by `s`, `m`, `h`, `d` or `w`
    /// (`1m`, `15m`, `4h`, `1d`). Binance's month interval `1M` is not fixed length: nil.
    public init?(label: String) {
        let bytes = Array(label.utf8)
        guard bytes.count >= 2, let unit = bytes.last else { return nil }
        var count: Int64 = 0
        for byte in bytes.dropLast() {
            guard byte >= 0x30 && byte <= 0x39, count < 100_000 else { return nil }
            count = count * 10 + Int64(byte - 0x30)
        }
        let unitMilliseconds: Int64
        switch unit {
        case UInt8(ascii: "s"): unitMilliseconds = 1_000
        case UInt8(ascii: "m"): unitMilliseconds = 60_000
        case UInt8(ascii: "h"): unitMilliseconds = 3_600_000
        case UInt8(ascii: "d"): unitMilliseconds = 86_400_000
        case UInt8(ascii: "w"): unitMilliseconds = 604_800_000
        default: return nil
        }
        self.init(milliseconds: count * unitMilliseconds)
    }

    public static let oneMinute = CandleInterval(milliseconds: 60_000)!
    public static let fiveMinutes = CandleInterval(milliseconds: 300_000)!
    public static let oneHour = CandleInterval(milliseconds: 3_600_000)!

    /// The bar length as a `Duration`.
    public var duration: Duration { .milliseconds(milliseconds) }

    /// Shortest label in the largest whole unit (`60000` → `1m`, `3600000` → `1h`, `1500` → `1500ms`).
    public var label: String {
        let units: [(Int64, String)] = [(604_800_000, "w"), (86_400_000, "d"), (3_600_000, "h"), (60_000, "m"), (1_000, "s")]
        for (size, suffix) in units where milliseconds % size == 0 {
            return "\(milliseconds / size)\(suffix)"
        }
        return "\(milliseconds)ms"
    }

    public var description: String { label }

    public static func < (lhs: CandleInterval, rhs: CandleInterval) -> Bool { lhs.milliseconds < rhs.milliseconds }
}
