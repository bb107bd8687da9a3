import TradingModel

/// Maker and taker commission rates. Defaults are Binance USDT-M's standard tier
/// (0.02% maker, 0.05% taker); backtests configure them explicitly.
public struct FeeSchedule: Sendable, Hashable {
    public var makerRate: Rate
    public var takerRate: Rate

    public init(makerRate: Rate, takerRate: Rate) {
        precondition(!makerRate.isNegative && !takerRate.isNegative, "fee rates must not be negative")
        self.makerRate = makerRate
        self.takerRate = takerRate
    }

    /// Binance's standard tier: maker 0.02%, taker 0.05%.
    public static let binanceStandard = FeeSchedule(makerRate: Rate(raw: 20_000), takerRate: Rate(raw: 50_000))

    /// The rate for a fill's liquidity.
    @inlinable
    public func rate(for liquidity: Liquidity) -> Rate { liquidity == .maker ? makerRate : takerRate }

    /// `fee`, or nil when it does not fit (a price or quantity no market printed).
    @inlinable
    public func checkedFee(price: Price, quantity: Quantity, liquidity: Liquidity) -> Money? {
        let notional = Int128(price.raw) * Int128(quantity.raw) / Int128(FixedPoint.scale)
        return FastFixedPoint.checkedDivide(notional * Int128(rate(for: liquidity).raw), by: Int128(FixedPoint.scale), rounding: .nearest)
            .map(Money.init(raw:))
    }

    /// Commission of a fill: `price × quantity × rate`, rounded to the nearest 10⁻⁸ USDT.
    @inlinable
    public func fee(price: Price, quantity: Quantity, liquidity: Liquidity) -> Money {
        let notional = Int128(price.raw) * Int128(quantity.raw) / Int128(FixedPoint.scale)
        return Money(raw: FastFixedPoint.divide(notional * Int128(rate(for: liquidity).raw), by: Int128(FixedPoint.scale), rounding: .nearest))
    }
}
