import TradingModel

/// The accounting of one open position (one-way mode, isolated margin): size, average entry,
/// isolated wallet, maintenance tier, liquidation price and what the round trip has cost so far.
public struct PositionLedger: Sendable, Hashable {
    public var symbol: Symbol
    public var side: Side
    /// Open quantity, always positive.
    public var quantity: Quantity
    /// Volume-weighted entry price.
    public var entryPrice: Price
    public var leverage: Int
    /// Isolated wallet: initial margin, minus funding paid, minus margin released by reductions.
    public var isolatedMargin: Money
    public var openedAt: Timestamp
    /// Maintenance tier of the entry notional.
    public var bracket: MarginBracket
    /// Binance isolated liquidation price (zero when the position cannot be liquidated).
    public var liquidationPrice: Price
    /// Largest quantity the position reached.
    public var maxQuantity: Quantity
    /// Fees, funding and price PnL booked so far for this round trip.
    public var fees: Money
    public var funding: Money
    public var grossPnL: Money
    /// Sum of `price × quantity` (raw × raw) and quantity of the exit fills, for the exit VWAP.
    public var exitValue: Int128
    public var exitQuantity: Quantity

    /// Unrealized PnL at `price`: `side × quantity × (price − entry)`, rounded to nearest 10⁻⁸ USDT.
    /// Hot path (every bar): an `Int64` product when it fits, `Int128` otherwise.
    @inlinable
    public func unrealizedPnL(at price: Price) -> Money {
        let move = side.sign * (price.raw - entryPrice.raw)
        let (product, overflow) = move.multipliedReportingOverflow(by: quantity.raw)
        if !overflow {
            let scale = FixedPoint.scale
            var quotient = product / scale
            let remainder = product % scale
            if remainder * 2 >= scale { quotient += 1 } else if remainder * 2 <= -scale { quotient -= 1 }
            return Money(raw: quotient)
        }
        // A mark no ledger could book (see `Portfolio.mark`): saturated for display, never a trap.
        return Money(raw: FixedPoint.saturatingMultiplyDivide(move, quantity.raw, FixedPoint.scale, rounding: .nearest))
    }

    /// True when `price` reaches the liquidation price (at or beyond it, against the position).
    @inlinable
    public func isLiquidated(at price: Price) -> Bool {
        guard liquidationPrice.isPositive else { return false }
        return side == .long ? price <= liquidationPrice : price >= liquidationPrice
    }

    /// Maintenance margin at `markPrice`: `notional × MMR − cum` of the entry tier.
    public func maintenanceMargin(at markPrice: Price) -> Money {
        let notional = FixedPoint.saturatingMultiplyDivide(markPrice.raw, quantity.raw, FixedPoint.scale, rounding: .nearest)
        return bracket.maintenanceMargin(notional: Money(raw: min(notional, Int64.max / 4)))
    }

    /// The position as the rest of the engine sees it.
    public var position: Position {
        Position(symbol: symbol, side: side, quantity: quantity, entryPrice: entryPrice, leverage: leverage,
                 isolatedMargin: isolatedMargin, openedAt: openedAt)
    }

    /// Re-derives the tier and the liquidation price after size, entry or margin changed.
    mutating func refreshLiquidationPrice(instrument: Instrument) {
        bracket = instrument.bracket(forNotional: FastFixedPoint.notional(entryPrice, quantity, .nearest))
        liquidationPrice = LiquidationPrice.isolated(side: side, quantity: quantity, entryPrice: entryPrice,
                                                     isolatedMargin: isolatedMargin, bracket: bracket)
    }

    /// Volume-weighted exit price so far (zero before any exit).
    var exitPrice: Price {
        guard exitQuantity.isPositive else { return .zero }
        return Price(raw: FastFixedPoint.divide(exitValue, by: Int128(exitQuantity.raw), rounding: .nearest))
    }
}
