import TradingModel

/// Every knob of pre-trade validation, with documented defaults. Each market check has an
/// `isEnabled` switch; switching a check off is explicit and recorded in the configuration.
///
/// Safety invariants cannot be switched off: the stop must lie inside the liquidation price,
/// the size must reach the venue's minimum notional, margin must fit, leverage never exceeds
/// `sizing.maximumLeverage` nor the instrument's tier, and a halted risk engine blocks entries.
public struct ValidationSettings: Sendable, Hashable {
    /// Minimum calibrated confidence. Default: on, 0.80. A signal without a confidence fails
    /// (`checkUnavailable(confidence, …)`) unless this check is switched off.
    public struct Confidence: Sendable, Hashable {
        public var isEnabled = true
        public var minimum = 0.80
        public init() {}
    }

    /// Higher-timeframe trend from 1 h bars. Default: on, EMA 50/200, slope of EMA 50 over 5 bars,
    /// a flat band of ±0 (any positive slope with EMA50 > EMA200 is an uptrend).
    /// No SHORT in an uptrend, no LONG in a downtrend.
    public struct Trend: Sendable, Hashable {
        public var isEnabled = true
        public var fastPeriod = 50
        public var slowPeriod = 200
        public var slopeLookback = 5
        /// Slopes within ±this relative change count as flat (`mixed`).
        public var flatSlope = 0.0
        public init() {}
        /// Hourly bars needed: `slowPeriod + slopeLookback`.
        public var requiredBars: Int { max(slowPeriod, fastPeriod) + slopeLookback }
    }

    /// Market regime from 1 h bars. Default: on, ADX(14) ≥ 25 is trending, realized volatility of
    /// 24 hourly returns ranked among the last 168 such values; at or above the 0.95 percentile
    /// is `highVolatility`, which blocks entries; `ranging` halves the size. When BTCUSDT is
    /// observed, an altcoin entry against BTC's trend is rejected.
    public struct Regime: Sendable, Hashable {
        public var isEnabled = true
        public var adxPeriod = 14
        public var trendingADX = 25.0
        public var volatilityWindow = 24
        public var volatilityLookback = 168
        public var extremeVolatilityPercentile = 0.95
        public var blockedRegimes: Set<MarketRegime> = [.highVolatility]
        /// Size multipliers per regime (missing = 1).
        public var sizeMultipliers: [MarketRegime: Rate] = [.ranging: Rate("0.5")!]
        public var followBTCTrend = true
        public var btcSymbol: Symbol = "BTCUSDT"
        public init() {}
        /// Hourly bars needed for both ADX and the volatility percentile.
        public var requiredBars: Int { max(2 * adxPeriod + 1, volatilityWindow + volatilityLookback) }
    }

    /// What to do with an entry highly correlated with a same-direction open position.
    public enum CorrelationAction: Sendable, Hashable {
        case reject
        /// Approve with the size multiplied by this factor (0 < factor < 1).
        case reduceSize(Rate)
    }

    /// Correlation of hourly returns with each same-direction open position. Default: on, the
    /// last 48 returns, at least 24 aligned, limit 0.80, reject.
    public struct Correlation: Sendable, Hashable {
        public var isEnabled = true
        public var window = 48
        public var minimumOverlap = 24
        public var limit = 0.80
        public var action = CorrelationAction.reject
        public init() {}
    }

    /// `|net notional| / gross notional` of the book including the candidate. Default: on,
    /// limit 0.80, applied when the book (with the candidate) holds at least 2 positions.
    public struct DirectionalExposure: Sendable, Hashable {
        public var isEnabled = true
        public var limit = 0.80
        public var minimumPositions = 2
        public init() {}
    }

    /// A notional limit, absolute or as a multiple of equity.
    public enum NotionalLimit: Sendable, Hashable {
        case absolute(Money)
        case equityMultiple(Rate)

        /// The limit in USDT for `equity` (rounded down).
        public func amount(equity: Money) -> Money {
            switch self {
            case .absolute(let money): money
            case .equityMultiple(let multiple): equity.times(multiple, .down)
            }
        }
    }

    /// Book limits. Default: on, 3 open positions, no adding to an open position, per-symbol
    /// notional ≤ 0.5 × equity, total ≤ 1.5 × equity.
    public struct Book: Sendable, Hashable {
        public var isEnabled = true
        public var maximumOpenPositions = 3
        public var allowAddingToOpenPosition = false
        public var maximumSymbolNotional = NotionalLimit.equityMultiple(Rate("0.5")!)
        public var maximumTotalNotional = NotionalLimit.equityMultiple(Rate("1.5")!)
        public init() {}
    }

    /// Funding over the holding horizon. Default: on, 24 h horizon, 8 h funding interval,
    /// reject when the expected funding against the position exceeds 0.10% of notional.
    /// No known funding rate fails closed (`checkUnavailable(funding, …)`).
    public struct Funding: Sendable, Hashable {
        public var isEnabled = true
        public var holdingHorizon = Duration.seconds(24 * 3600)
        public var fundingInterval = Duration.seconds(8 * 3600)
        public var threshold = Rate("0.001")!
        public init() {}
    }

    /// Cooldown after a stop-out of the same symbol. Default: on, 4 h, after stop-loss,
    /// backstop and liquidation closes.
    public struct Cooldown: Sendable, Hashable {
        public var isEnabled = true
        public var duration = Duration.seconds(4 * 3600)
        public var reasons: Set<ExitReason> = [.stopLoss, .backstop, .liquidation]
        public init() {}
    }

    public var confidence = Confidence()
    public var trend = Trend()
    public var regime = Regime()
    public var correlation = Correlation()
    public var directionalExposure = DirectionalExposure()
    public var book = Book()
    public var funding = Funding()
    public var cooldown = Cooldown()
    public var sizing = SizingSettings()
    /// Minimum distance between stop and liquidation price as a share of the entry price.
    /// Default 0.005 (0.5%). A stop at or beyond liquidation is always rejected.
    public var minimumStopLiquidationDistance = Rate("0.005")!
    /// The candidate's newest candle must have closed at most this long before `context.time`.
    /// Default 65 minutes (an hourly feed is never stale at the hour). Not switchable.
    public var maximumDataAge = Duration.seconds(65 * 60)
    /// Hourly bars kept per symbol. Default 400.
    public var historyCapacity = 400

    public init() {}
}
