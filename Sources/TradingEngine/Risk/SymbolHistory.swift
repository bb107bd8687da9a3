import TradingModel

/// Rolling market history of one symbol: hourly bars built from the observed candles, the
/// close time of the last candle (for staleness) and the latest known funding rate.
///
/// Candles of 1 h are taken as they are; shorter candles whose interval divides an hour
/// (1m, 5m, 15m, …) are aggregated into the hour that contains their open time. An hour is
/// complete when its last candle arrives or when a candle of a later hour arrives (a gap in
/// the data still closes the hour). Longer or odd intervals only update the staleness clock.
/// Out-of-order candles are ignored. Only complete hours are used by the indicators.
public struct SymbolHistory: Sendable, Hashable {
    /// Complete hourly bars, oldest first, at most `capacity`.
    public private(set) var hourlyBars: [Candle] = []
    /// Close time (`openTime + interval`) of the newest candle of any interval.
    public private(set) var lastCandleClose: Timestamp?
    /// The latest funding rate seen (mark-price stream or funding settlements).
    public private(set) var fundingRate: Rate?
    /// Bars kept; older bars are dropped.
    public let capacity: Int
    private var bucket: Candle?

    static let hourMilliseconds: Int64 = 3_600_000

    public init(capacity: Int) {
        precondition(capacity >= 2, "history capacity must be at least 2 bars")
        self.capacity = capacity
    }

    /// Adds one market event of this symbol.
    public mutating func observe(_ event: MarketEvent) {
        switch event {
        case .candle(_, let candle, let interval):
            add(candle, interval: interval)
        case .markPrice(let mark):
            if let rate = mark.fundingRate { fundingRate = rate }
        case .funding(_, let funding):
            fundingRate = funding.rate
        case .trade:
            break
        }
    }

    private mutating func add(_ candle: Candle, interval: Duration) {
        let intervalMilliseconds = Timestamp(milliseconds: 0).advanced(by: interval).milliseconds
        guard intervalMilliseconds > 0 else { return }
        let close = candle.openTime.advanced(by: interval)
        if let last = lastCandleClose, close <= last { return }
        lastCandleClose = close
        guard Self.hourMilliseconds % intervalMilliseconds == 0 else { return }
        let hourStart = Timestamp(milliseconds: floorToHour(candle.openTime.milliseconds))
        if let open = bucket, open.openTime != hourStart {
            append(open)
            bucket = nil
        }
        if var current = bucket {
            current.high = max(current.high, candle.high)
            current.low = min(current.low, candle.low)
            current.close = candle.close
            current.volume = current.volume.addingSaturated(candle.volume)
            bucket = current
        } else {
            bucket = Candle(openTime: hourStart, open: candle.open, high: candle.high, low: candle.low,
                            close: candle.close, volume: candle.volume)
        }
        if close.milliseconds == hourStart.milliseconds + Self.hourMilliseconds, let complete = bucket {
            append(complete)
            bucket = nil
        }
    }

    private mutating func append(_ bar: Candle) {
        if let last = hourlyBars.last, last.openTime >= bar.openTime { return }
        hourlyBars.append(bar)
        if hourlyBars.count > capacity { hourlyBars.removeFirst(hourlyBars.count - capacity) }
    }

    private func floorToHour(_ milliseconds: Int64) -> Int64 {
        let remainder = milliseconds % Self.hourMilliseconds
        return milliseconds - (remainder < 0 ? remainder + Self.hourMilliseconds : remainder)
    }

    /// Hourly simple returns (`close / previous close − 1`) keyed by the open time of the later bar; only between consecutive hours.
    public func hourlyReturns() -> [(time: Timestamp, value: Double)] {
        guard hourlyBars.count >= 2 else { return [] }
        var result: [(time: Timestamp, value: Double)] = []
        result.reserveCapacity(hourlyBars.count - 1)
        for index in 1..<hourlyBars.count {
            let previous = hourlyBars[index - 1]
            let current = hourlyBars[index]
            guard current.openTime.milliseconds - previous.openTime.milliseconds == Self.hourMilliseconds,
                  previous.close.isPositive, current.close.isPositive
            else { continue }
            result.append((current.openTime, current.close.doubleValue / previous.close.doubleValue - 1))
        }
        return result
    }
}
