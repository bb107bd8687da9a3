/// Indicator state for one timeframe, updated once per completed bar in O(1).
///
/// Produces, in this order: log returns over `returnLags` bars, realized volatility (sample sd
/// of one-bar log returns over `volatilityWindow`), ATR(14)/close, RSI(14) scaled to [-1, 1],
/// MACD(12,26,9) histogram / close, distance of close to EMA20 and EMA50 (fraction of close),
/// EMA20 one-bar slope, z-score of log volume and of taker-buy ratio over `zScoreWindow` bars.
/// Values are NaN until enough bars have been seen.
public struct TimeframeIndicators: Sendable, Hashable {
    public let returnLags: [Int]
    public let volatilityWindow: Int
    public let zScoreWindow: Int

    private var closes: RingBuffer
    private var returnStatistics: RollingStatistics
    private var volumeStatistics: RollingStatistics
    private var takerStatistics: RollingStatistics
    private var trueRange = ExponentialAverage(wilderPeriod: 14)
    private var averageGain = ExponentialAverage(wilderPeriod: 14)
    private var averageLoss = ExponentialAverage(wilderPeriod: 14)
    private var fastAverage = ExponentialAverage(span: 12)
    private var slowAverage = ExponentialAverage(span: 26)
    private var macdSignal = ExponentialAverage(span: 9)
    private var average20 = ExponentialAverage(span: 20)
    private var average50 = ExponentialAverage(span: 50)
    private var previousClose = Double.nan
    public private(set) var barCount = 0
    /// Latest values, in `featureSuffixes` order.
    public private(set) var values: [Double]

    public init(returnLags: [Int], volatilityWindow: Int, zScoreWindow: Int) {
        self.returnLags = returnLags
        self.volatilityWindow = volatilityWindow
        self.zScoreWindow = zScoreWindow
        closes = RingBuffer(capacity: (returnLags.max() ?? 1) + 1)
        returnStatistics = RollingStatistics(window: volatilityWindow)
        volumeStatistics = RollingStatistics(window: zScoreWindow)
        takerStatistics = RollingStatistics(window: zScoreWindow)
        values = Array(repeating: .nan, count: returnLags.count + 9)
    }

    /// Feature name suffixes in output order.
    public static func featureSuffixes(returnLags: [Int]) -> [String] {
        returnLags.map { "return_\($0)" } + [
            "realized_volatility", "atr_pct", "rsi", "macd_histogram_pct", "ema20_distance", "ema50_distance",
            "ema20_slope", "volume_z", "taker_buy_ratio_z",
        ]
    }

    /// Weight the starting value of a recursive average (EMA, Wilder average) may keep in it
    /// when its values count as converged: two runs started at different times then give the
    /// same indicators up to this fraction of the distance between their starting states.
    public static let convergenceTolerance = 1e-4

    /// Smoothing factors of every recursive average here (ATR, RSI gains and losses: Wilder 14;
    /// MACD 12/26/9; EMA 20 and 50).
    static let recursiveAlphas: [Double] = [1.0 / 14, 2.0 / 13, 2.0 / 27, 2.0 / 10, 2.0 / 21, 2.0 / 51]

    /// Bars until the slowest average has converged: after `n` updates an average's seed keeps
    /// the weight `(1 − α)^(n − 1)`, so `n = 1 + ⌈ln ε / ln(1 − α)⌉` per average. At ε = 1e-4 EMA 50
    /// decides: 1 + ⌈9.2103 / 0.040005⌉ = 232 bars (Wilder 14: 126, one bar later for the RSI's
    /// price changes; MACD signal: its inputs converge by 121, itself by 43).
    public static func convergenceBars(tolerance: Double = convergenceTolerance) -> Int {
        recursiveAlphas.map { 1 + Int((log(tolerance) / log(1 - $0)).rounded(.up)) }.max() ?? 1
    }

    /// Bars needed before every value is defined and every recursive average has converged.
    public var warmUpBars: Int {
        max((returnLags.max() ?? 1) + 1, volatilityWindow + 1, zScoreWindow, Self.convergenceBars())
    }
    public var isWarm: Bool { barCount >= warmUpBars }

    public mutating func append(_ bar: FeatureBar) {
        let close = bar.close
        closes.append(close)
        barCount += 1
        if previousClose.isFinite {
            let logReturn = log(close / previousClose)
            returnStatistics.append(logReturn)
            let range = max(bar.high, previousClose) - min(bar.low, previousClose)
            trueRange.append(range)
            averageGain.append(max(0, close - previousClose))
            averageLoss.append(max(0, previousClose - close))
        } else {
            trueRange.append(bar.high - bar.low)
        }
        previousClose = close
        fastAverage.append(close)
        slowAverage.append(close)
        macdSignal.append(fastAverage.value - slowAverage.value)
        average20.append(close)
        average50.append(close)
        volumeStatistics.append(log(max(bar.volume, 1e-12)))
        let takerRatio = bar.volume > 0 ? bar.takerBuyVolume / bar.volume : 0.5
        if takerRatio.isFinite { takerStatistics.append(takerRatio) }

        var index = 0
        for lag in returnLags {
            if let past = closes.value(lag: lag), past > 0 { values[index] = log(close / past) } else { values[index] = .nan }
            index += 1
        }
        values[index] = returnStatistics.isFull ? returnStatistics.standardDeviation : .nan
        values[index + 1] = trueRange.value / close
        let gain = averageGain.value, loss = averageLoss.value
        values[index + 2] = (gain + loss) > 0 ? (gain - loss) / (gain + loss) : 0
        let macd = fastAverage.value - slowAverage.value
        values[index + 3] = (macd - macdSignal.value) / close
        values[index + 4] = (close - average20.value) / close
        values[index + 5] = (close - average50.value) / close
        values[index + 6] = average20.previous.isFinite ? average20.value / average20.previous - 1 : .nan
        values[index + 7] = volumeStatistics.zScore(log(max(bar.volume, 1e-12)))
        values[index + 8] = takerRatio.isFinite ? takerStatistics.zScore(takerRatio) : .nan
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
