import TradingModel

/// Binance's isolated-margin liquidation price for a one-way position (reference digest §9):
///
///     LP = (WB + cum − side × size × EP) / (size × MMR − side × size)
///
/// `WB` is the isolated wallet (margin), `cum` and `MMR` the maintenance amount and rate of the
/// tier the position's entry notional falls in, `side` +1 long / −1 short. All in `Int128`.
public enum LiquidationPrice {
    /// The liquidation price, rounded toward the position (up for a long, down for a short) so a
    /// simulated liquidation never comes later than the formula says. Returns zero when the
    /// position cannot be liquidated (a long whose margin covers the whole notional). Never traps:
    /// a price beyond `Int64` is clamped to `Price(raw: .max)` (a short: never reached; a long:
    /// liquidated at any price), and a 100% maintenance rate (zero denominator) gives one of the
    /// two extremes by the numerator's sign.
    @inlinable
    public static func isolated(side: Side, quantity: Quantity, entryPrice: Price, isolatedMargin: Money, bracket: MarginBracket) -> Price {
        let scale = Int128(FixedPoint.scale)
        let sign = Int128(side.sign)
        let size = Int128(quantity.raw)
        // Money terms in 10⁻⁸ USDT: size × EP / scale.
        let sizeTimesEntry = size * Int128(entryPrice.raw) / scale
        let numerator = Int128(isolatedMargin.raw) + Int128(bracket.maintenanceAmount.raw) - sign * sizeTimesEntry
        // Quantity terms in 10⁻⁸ units: size × MMR / scale − side × size.
        let denominator = size * Int128(bracket.maintenanceMarginRate.raw) / scale - sign * size
        guard denominator != 0 else {
            // A long at a 100% maintenance rate: liquidated at every price when its margin and
            // `cum` do not exceed the entry notional, else never (a short's denominator is never 0).
            return numerator <= 0 ? Price(raw: .max) : .zero
        }
        let wide = numerator * scale
        guard let price = FastFixedPoint.checkedDivide(wide, by: denominator, rounding: side == .long ? .up : .down) else {
            return (wide < 0) == (denominator < 0) ? Price(raw: .max) : .zero
        }
        return Price(raw: max(price, 0))
    }
}
