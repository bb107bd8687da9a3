import TradingModel

/// The range every value from the venue must fall in before it becomes an engine value.
///
/// Fixed point holds ±9.2 × 10¹⁰ units; the engine multiplies prices by quantities (notional,
/// PnL, margin) and traps on overflow, as it should for its own invariants. So the parsers
/// refuse, with a `BinanceDecodingError` naming the field, anything no real market produces:
/// prices above 10⁸ USDT (BTC's `maxPrice` is 4.5 × 10⁶), quantities above 10¹⁰, amounts of
/// money beyond ±10¹⁰ USDT, price × quantity beyond 10¹⁰ USDT in one message, leverage outside
/// 1…1000, times outside 1970…2200. Within those, no product or difference the engine takes of
/// two venue values can overflow. Thresholds the engine only compares against (the notional
/// caps of margin tiers) need only be representable and not negative.
public enum VenueValueLimits {
    /// Highest price accepted (10⁸).
    public static let maximumPrice = Price(units: 100_000_000)
    /// Highest quantity accepted (10¹⁰).
    public static let maximumQuantity = Quantity(units: 10_000_000_000)
    /// Largest amount of money accepted, either sign (10¹⁰ USDT).
    public static let maximumMoney = Money(units: 10_000_000_000)
    /// Largest price × quantity accepted in one message (10¹⁰ USDT).
    public static let maximumNotional = Money(units: 10_000_000_000)
    /// Largest rate accepted, either sign (a funding rate of 100%).
    public static let maximumRate = Rate(units: 1)
    /// Highest leverage accepted (Binance's maximum is 125).
    public static let maximumLeverage = 1000
    /// 1970-01-01T00:00:00Z (the documentation's examples use times in the 1970s).
    public static let earliestTime = Timestamp(milliseconds: 0)
    /// 2200-01-01T00:00:00Z.
    public static let latestTime = Timestamp(milliseconds: 7_258_118_400_000)

    /// True when `price × quantity` stays within `maximumNotional` (computed without overflow).
    public static func notionalFits(_ price: Price, _ quantity: Quantity) -> Bool {
        let product = Int128(price.raw.magnitude) * Int128(quantity.raw.magnitude)
        return product <= Int128(maximumNotional.raw) * Int128(FixedPoint.scale)
    }
}
