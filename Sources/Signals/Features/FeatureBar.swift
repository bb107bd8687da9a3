import TradingModel

/// A bar in `Double` for indicator arithmetic (never for money). `openTime` and `durationMs`
/// place it in time; `takerBuyVolume` is NaN when the source lacks it.
public struct FeatureBar: Sendable, Hashable {
    public var openTime: Timestamp
    public var durationMs: Int64
    public var open: Double
    public var high: Double
    public var low: Double
    public var close: Double
    public var volume: Double
    public var takerBuyVolume: Double

    public init(openTime: Timestamp, durationMs: Int64, open: Double, high: Double, low: Double, close: Double,
                volume: Double, takerBuyVolume: Double) {
        self.openTime = openTime
        self.durationMs = durationMs
        self.open = open
        self.high = high
        self.low = low
        self.close = close
        self.volume = volume
        self.takerBuyVolume = takerBuyVolume
    }

    /// A one-minute candle as a feature bar.
    public init(oneMinute candle: Candle) {
        self.init(openTime: candle.openTime, durationMs: 60_000, open: candle.open.doubleValue,
                  high: candle.high.doubleValue, low: candle.low.doubleValue, close: candle.close.doubleValue,
                  volume: candle.volume.doubleValue, takerBuyVolume: candle.takerBuyVolume?.doubleValue ?? .nan)
    }

    /// The instant the bar closes (`openTime + duration`).
    public var closeTime: Timestamp { Timestamp(milliseconds: openTime.milliseconds + durationMs) }
}
