import TradingModel

/// Builds bars of a longer timeframe (5m, 1h) from one-minute bars, incrementally.
///
/// A bar is emitted as soon as its last minute arrives, so a 5m bar covering 10:00–10:05 is
/// available at 10:05 and never earlier (no look-ahead). When minutes are missing (a gap) the
/// partial bar is emitted when the first minute of a later bucket arrives. O(1) per minute.
public struct TimeframeAggregator: Sendable, Hashable {
    public let intervalMs: Int64
    private var current: FeatureBar?
    private var currentEmitted = false

    public init(intervalMs: Int64) {
        precondition(intervalMs >= 60_000 && intervalMs % 60_000 == 0, "interval must be whole minutes")
        self.intervalMs = intervalMs
    }

    /// Adds one minute; returns the bars completed by it (at most two: a gap-closed one and this one).
    public mutating func append(_ minute: FeatureBar) -> [FeatureBar] {
        var completed: [FeatureBar] = []
        let bucketStart = minute.openTime.milliseconds - floorMod(minute.openTime.milliseconds, intervalMs)
        if let bar = current, bar.openTime.milliseconds != bucketStart {
            if !currentEmitted { completed.append(bar) }
            current = nil
        }
        if var bar = current {
            bar.high = max(bar.high, minute.high)
            bar.low = min(bar.low, minute.low)
            bar.close = minute.close
            bar.volume += minute.volume
            bar.takerBuyVolume += minute.takerBuyVolume
            current = bar
        } else {
            current = FeatureBar(openTime: Timestamp(milliseconds: bucketStart), durationMs: intervalMs, open: minute.open,
                                 high: minute.high, low: minute.low, close: minute.close, volume: minute.volume,
                                 takerBuyVolume: minute.takerBuyVolume)
            currentEmitted = false
        }
        if minute.openTime.milliseconds + minute.durationMs >= bucketStart + intervalMs, let bar = current {
            completed.append(bar)
            currentEmitted = true
        }
        return completed
    }

    private func floorMod(_ value: Int64, _ divisor: Int64) -> Int64 {
        let remainder = value % divisor
        return remainder < 0 ? remainder + divisor : remainder
    }
}
