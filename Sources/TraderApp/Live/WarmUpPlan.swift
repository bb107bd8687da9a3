import TradingEngine
import TradingModel

/// How much closed 1 m history a live session back-fills at start so the strategy and the
/// validator are warm on the first live signal, computed from the configuration.
///
/// `requiredHours` complete hourly bars: the largest of the enabled checks' needs — trend
/// (`trend_slow_period` + `trend_slope_lookback`), regime (ADX and `volatility_window` +
/// `volatility_lookback`; plus BTC's trend when BTCUSDT is traded and `follow_btc_trend`), correlation
/// (`correlation_window` + 1) — and the strategy's own need (`StrategyMaker.warmUp`): `ml-ensemble`
/// 35 complete hours for its 1 h features, `ema-cross` none. `strategyBars`: the strategy's 1 m
/// bars (`ema-cross`: 4 × the slow EMA period, the seed's weight is then below e⁻⁸;
/// `ml-ensemble`: its 1 m/5 m indicators and market context). The back-fill is capped at
/// `maximumBars` 1 m klines.
public struct WarmUpPlan: Sendable, Hashable {
    public var requiredHours: Int
    public var strategyBars: Int
    /// Most klines loaded per symbol (default 14 days of 1 m: 20160 rows, 14 pages, weight 140).
    public var maximumBars: Int
    /// The strategy's bar interval: 1 m (`kline_1m`).
    public let barInterval = Duration.seconds(60)
    public let intervalName = "1m"

    public init(requiredHours: Int, strategyBars: Int, maximumBars: Int = 20_160) {
        self.requiredHours = max(0, requiredHours)
        self.strategyBars = max(1, strategyBars)
        self.maximumBars = max(1, maximumBars)
    }

    /// The plan for `[validation]` and a strategy with slow EMA `strategySlowPeriod` trading `symbols`.
    public init(validation: ValidationSettings, strategySlowPeriod: Int, symbols: [Symbol], maximumBars: Int = 20_160) {
        self.init(validation: validation, strategyHours: 0, strategyBars: 4 * strategySlowPeriod, symbols: symbols, maximumBars: maximumBars)
    }

    /// The plan for `[validation]` and a strategy needing `strategyHours` complete hours and
    /// `strategyBars` 1 m bars, trading `symbols`.
    public init(validation: ValidationSettings, strategyHours: Int, strategyBars: Int, symbols: [Symbol], maximumBars: Int = 20_160) {
        var hours = strategyHours
        if validation.trend.isEnabled { hours = max(hours, validation.trend.requiredBars) }
        if validation.regime.isEnabled {
            hours = max(hours, validation.regime.requiredBars)
            if validation.regime.followBTCTrend && symbols.contains(validation.regime.btcSymbol) {
                hours = max(hours, validation.trend.requiredBars)
            }
        }
        if validation.correlation.isEnabled { hours = max(hours, validation.correlation.window + 1) }
        self.init(requiredHours: hours, strategyBars: strategyBars, maximumBars: maximumBars)
    }

    /// The open times to fetch for a start at venue time `now`: from the start of the hour
    /// `requiredHours` before the current one (earlier when the strategy needs more bars) to the
    /// last closed minute; `capped` when `maximumBars` cut the start.
    public func range(now: Timestamp) -> (start: Timestamp, end: Timestamp, bars: Int, capped: Bool) {
        let minute: Int64 = 60_000
        let hour: Int64 = 3_600_000
        let end = now.milliseconds - now.milliseconds % minute - minute
        var start = end - end % hour - Int64(requiredHours) * hour
        start = min(start, end - Int64(strategyBars - 1) * minute)
        var capped = false
        if (end - start) / minute + 1 > Int64(maximumBars) {
            start = end - Int64(maximumBars - 1) * minute
            capped = true
        }
        return (Timestamp(milliseconds: start), Timestamp(milliseconds: end), Int((end - start) / minute) + 1, capped)
    }
}
