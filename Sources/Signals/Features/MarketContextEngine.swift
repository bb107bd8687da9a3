import TradingModel

/// Market context from a reference symbol (BTC) or basket, fed one-minute candles of that symbol.
/// O(1) per bar. `snapshot` is valid for the bar whose close time it carries.
public struct MarketContextEngine: Sendable, Hashable {
    public static let featureNames = [
        "context.return_5m", "context.return_60m", "context.return_240m", "context.realized_volatility_60m",
    ]
    private var closes = RingBuffer(capacity: 241)
    private var returns = RollingStatistics(window: 60)
    /// Minutes of the reference (or every basket member) before the first snapshot, plus the
    /// minute by which features use the previous minute's context.
    public static let warmUpMinutes = 242
    public private(set) var lastCloseTime: Timestamp?

    public init() {}

    public mutating func onCandle(_ candle: Candle) {
        let close = candle.close.doubleValue
        if let previous = closes.value(lag: 0), previous > 0 { returns.append(log(close / previous)) }
        closes.append(close)
        lastCloseTime = Timestamp(milliseconds: candle.openTime.milliseconds + 60_000)
    }

    /// The context features at the last bar, or nil until warm.
    public var snapshot: MarketContextSnapshot? {
        guard let time = lastCloseTime, closes.count == closes.capacity, returns.isFull, let close = closes.value(lag: 0)
        else { return nil }
        func logReturn(_ lag: Int) -> Double { log(close / (closes.value(lag: lag) ?? .nan)) }
        return MarketContextSnapshot(time: time, values: [logReturn(5), logReturn(60), logReturn(240), returns.standardDeviation])
    }
}

/// Context feature values valid at `time` (a bar close).
public struct MarketContextSnapshot: Sendable, Hashable {
    public var time: Timestamp
    public var values: [Double]
    public init(time: Timestamp, values: [Double]) {
        self.time = time
        self.values = values
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
