import TradingModel

/// The one feature implementation, used identically by training, backtests and live trading.
///
/// Fed one-minute candles of one symbol in time order, it keeps 1m, 5m and 1h indicator state
/// (5m and 1h bars are built from the minutes and only used once complete) and returns the
/// feature vector at each minute's close. O(1) time and memory per candle. Nothing after the
/// candle being processed is ever read, which the look-ahead tests verify.
public struct FeatureEngine: Sendable {
    /// Timeframe prefixes with their return lags (in bars of that timeframe).
    public static let timeframes: [(prefix: String, lags: [Int])] = [
        ("m1", [1, 5, 15, 60]), ("m5", [1, 3, 12]), ("h1", [1, 4, 24]),
    ]

    /// The indicator layouts of the three timeframes (fresh state).
    static let minuteLayout = TimeframeIndicators(returnLags: [1, 5, 15, 60], volatilityWindow: 30, zScoreWindow: 60)
    static let fiveMinuteLayout = TimeframeIndicators(returnLags: [1, 3, 12], volatilityWindow: 24, zScoreWindow: 48)
    static let hourLayout = TimeframeIndicators(returnLags: [1, 4, 24], volatilityWindow: 24, zScoreWindow: 24)

    /// Contiguous history needed before the first feature vector: `hourBars` complete clock
    /// hours (the 1 h indicators, the longest need) and at least `minuteBars` one-minute bars
    /// (the 1 m and 5 m indicators and the market context). Every timeframe waits until its
    /// recursive averages have converged (`TimeframeIndicators.convergenceBars`: 232 bars, the
    /// seed's weight in EMA 50 below 1e-4), so runs started at different times give the same
    /// features from here on: 232 complete hours (9 days 16 h). A live session back-fills this much.
    public static var warmUp: (hourBars: Int, minuteBars: Int) {
        (hourLayout.warmUpBars,
         max(minuteLayout.warmUpBars, 5 * fiveMinuteLayout.warmUpBars, MarketContextEngine.warmUpMinutes))
    }

    public let featureSet: FeatureSet
    private var minute = FeatureEngine.minuteLayout
    private var fiveMinute = FeatureEngine.fiveMinuteLayout
    private var hour = FeatureEngine.hourLayout
    private var fiveMinuteBars = TimeframeAggregator(intervalMs: 300_000)
    private var hourBars = TimeframeAggregator(intervalMs: 3_600_000)
    private var lastOpenTime: Timestamp?
    private var fundingRate: Double = .nan
    private let usesContext: Bool

    /// - Precondition: `featureSet` is one of the `FeatureSet.standard` layouts.
    public init(featureSet: FeatureSet) {
        precondition(featureSet == .standard(marketContext: false) || featureSet == .standard(marketContext: true),
                     "FeatureEngine computes only the standard feature sets")
        self.featureSet = featureSet
        usesContext = featureSet.names.contains(MarketContextEngine.featureNames[0])
    }

    /// The open time of the last candle processed.
    public var lastCandleOpenTime: Timestamp? { lastOpenTime }

    /// Forgets the 1 m, 5 m and 1 h indicator history (minutes are missing before the next
    /// candle: features spanning them would treat non-adjacent bars as adjacent). Returns nil
    /// again until the lookback is complete (`warmUp`); the funding rate and the order check stay.
    public mutating func restartIndicators() {
        minute = Self.minuteLayout
        fiveMinute = Self.fiveMinuteLayout
        hour = Self.hourLayout
        fiveMinuteBars = TimeframeAggregator(intervalMs: 300_000)
        hourBars = TimeframeAggregator(intervalMs: 3_600_000)
    }

    /// Processes the next one-minute candle.
    /// - Parameters:
    ///   - funding: the latest funding rate known at or before this candle's close, if any; it is
    ///     remembered until replaced.
    ///   - context: the market context at the close of the previous minute (this candle's open);
    ///     a context for another bar is treated as missing (the context features are then NaN
    ///     and prediction is refused).
    /// - Returns: the features at the candle's close, or nil while the indicators warm up.
    /// - Throws: `FeatureEngineError.outOfOrder` when the candle is not after the previous one.
    public mutating func onCandle(_ candle: Candle, funding: Rate? = nil,
                                  context: MarketContextSnapshot? = nil) throws(FeatureEngineError) -> FeatureVector? {
        if let last = lastOpenTime, candle.openTime <= last {
            throw .outOfOrder(previous: last, received: candle.openTime)
        }
        lastOpenTime = candle.openTime
        if let funding { fundingRate = funding.doubleValue }
        let bar = FeatureBar(oneMinute: candle)
        minute.append(bar)
        for completed in fiveMinuteBars.append(bar) { fiveMinute.append(completed) }
        for completed in hourBars.append(bar) { hour.append(completed) }
        guard minute.isWarm, fiveMinute.isWarm, hour.isWarm else { return nil }

        let closeTime = bar.closeTime
        var values: [Double] = []
        values.reserveCapacity(featureSet.count)
        values += minute.values
        values += fiveMinute.values
        values += hour.values
        let minuteOfDay = Double((closeTime.milliseconds / 60_000) % 1440)
        let dayOfWeek = Double(((closeTime.milliseconds / 86_400_000) + 3) % 7)  // 0 = Monday (1970-01-01 was a Thursday)
        let twoPi = 2 * Double.pi
        values += [sin(twoPi * minuteOfDay / 1440), cos(twoPi * minuteOfDay / 1440),
                   sin(twoPi * dayOfWeek / 7), cos(twoPi * dayOfWeek / 7)]
        values.append(fundingRate)
        if usesContext {
            if let context, context.time == candle.openTime {
                values += context.values
            } else {
                values += Array(repeating: .nan, count: MarketContextEngine.featureNames.count)
            }
        }
        return FeatureVector(featureSetName: featureSet.name, featureSetVersion: featureSet.version, time: closeTime, values: values)
    }
}

/// Bad input to the feature engine.
public enum FeatureEngineError: Error, Sendable, Hashable, CustomStringConvertible {
    case outOfOrder(previous: Timestamp, received: Timestamp)

    public var description: String {
        switch self {
        case let .outOfOrder(previous, received):
            "candle at \(received) is not after the previous candle at \(previous); feed one-minute candles in time order"
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
