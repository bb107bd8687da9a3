/// Direction of a trend on the higher timeframe (EMA fast vs slow and the fast EMA's slope).
public enum TrendDirection: String, Sendable, Hashable, Codable, CustomStringConvertible {
    case up
    case down
    /// The EMAs and the slope disagree, or the slope is within the flat band.
    case mixed

    public var description: String { rawValue }
}

/// The market regime a symbol is in, from ADX and the realized-volatility percentile.
public enum MarketRegime: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    case trendingUp = "trending_up"
    case trendingDown = "trending_down"
    case ranging
    /// Realized volatility at or above the extreme percentile.
    case highVolatility = "high_volatility"

    public var description: String { rawValue }
}

/// Measured higher-timeframe trend of one symbol.
public struct TrendAssessment: Sendable, Hashable {
    public var direction: TrendDirection
    /// EMA of hourly closes over the fast period (50 by default).
    public var emaFast: Double
    /// EMA of hourly closes over the slow period (200 by default).
    public var emaSlow: Double
    /// Relative change of the fast EMA over the slope lookback (`0.004` = +0.4%).
    public var slope: Double

    public init(direction: TrendDirection, emaFast: Double, emaSlow: Double, slope: Double) {
        self.direction = direction
        self.emaFast = emaFast
        self.emaSlow = emaSlow
        self.slope = slope
    }
}

/// Measured regime of one symbol.
public struct RegimeAssessment: Sendable, Hashable {
    public var regime: MarketRegime
    /// ADX on hourly bars (0–100).
    public var adx: Double
    public var plusDirectionalIndex: Double
    public var minusDirectionalIndex: Double
    /// Where the current realized volatility sits among its own recent values (0–1, mid-rank).
    public var volatilityPercentile: Double
    /// BTC's higher-timeframe trend when BTC is observed (nil when it is not).
    public var btcTrend: TrendDirection?

    public init(regime: MarketRegime, adx: Double, plusDirectionalIndex: Double, minusDirectionalIndex: Double,
                volatilityPercentile: Double, btcTrend: TrendDirection?) {
        self.regime = regime
        self.adx = adx
        self.plusDirectionalIndex = plusDirectionalIndex
        self.minusDirectionalIndex = minusDirectionalIndex
        self.volatilityPercentile = volatilityPercentile
        self.btcTrend = btcTrend
    }
}
