import TradingModel

/// Plausibility limits a kline file's prices must meet, beyond the row's own consistency.
///
/// A price can parse, be positive and sit between its bar's low and high and still be no price
/// the market printed: `0.00000001` after bars at 1–2, or `92233720368.5`. Such bars are refused
/// here with the line, instead of reaching the engine. Checks per row:
/// - `low ≥ minimumPrice` and `high ≤ maximumPrice` when set (an instrument's `PRICE_FILTER`
///   bounds, or its tick when it has no minimum: no price below one tick exists on its grid);
/// - `max(high, previous close) ≤ maximumBarRatio × min(low, previous close)`: the bar's range
///   together with the previous close spans at most that ratio (the first bar: its own range).
public struct CandleLimits: Sendable, Hashable {
    /// Lows below this are refused (nil: no bound).
    public var minimumPrice: Price?
    /// Highs above this are refused (nil: no bound).
    public var maximumPrice: Price?
    /// Largest ratio between the highest and lowest of a bar's range and the previous close, as a
    /// fixed-point number (`10` is ten times); nil: no check.
    public var maximumBarRatio: Rate?

    /// Ten times: a real minute, hour or day bar of a listed perpetual never moves that far from
    /// the previous close (the exchange's price bands stop it long before), while a misplaced
    /// decimal point (×10⁸) or a unit mix-up always does.
    public static let defaultMaximumBarRatio = Rate(units: 10)

    /// Only the bar-to-bar ratio, at its default: what a reader checks without an instrument.
    public static let standard = CandleLimits(maximumBarRatio: defaultMaximumBarRatio)

    /// No plausibility check (the row's own consistency is still checked).
    public static let none = CandleLimits()

    public init(minimumPrice: Price? = nil, maximumPrice: Price? = nil, maximumBarRatio: Rate? = nil) {
        self.minimumPrice = minimumPrice
        self.maximumPrice = maximumPrice
        self.maximumBarRatio = maximumBarRatio
    }

    /// The bounds of an instrument's price filter (its tick when it has no minimum; no maximum
    /// when it has none) and a bar-to-bar ratio.
    public init(instrument: Instrument, maximumBarRatio: Rate? = defaultMaximumBarRatio) {
        self.init(minimumPrice: instrument.minPrice.isPositive ? instrument.minPrice : instrument.tickSize,
                  maximumPrice: instrument.maxPrice.isPositive ? instrument.maxPrice : nil,
                  maximumBarRatio: maximumBarRatio)
    }
}
