/// An open position in one symbol (one-way mode, isolated margin).
public struct Position: Sendable, Hashable {
    public var symbol: Symbol
    public var side: Side
    /// Open quantity, always positive.
    public var quantity: Quantity
    /// Volume-weighted entry price.
    public var entryPrice: Price
    /// Leverage the position was opened with.
    public var leverage: Int
    /// Isolated margin (initial margin plus any adjustments).
    public var isolatedMargin: Money
    public var openedAt: Timestamp

    public init(symbol: Symbol, side: Side, quantity: Quantity, entryPrice: Price, leverage: Int,
                isolatedMargin: Money, openedAt: Timestamp) {
        precondition(quantity.isPositive, "position quantity must be positive")
        precondition(leverage >= 1, "leverage must be at least 1")
        self.symbol = symbol
        self.side = side
        self.quantity = quantity
        self.entryPrice = entryPrice
        self.leverage = leverage
        self.isolatedMargin = isolatedMargin
        self.openedAt = openedAt
    }

    /// Entry notional `quantity × entryPrice`.
    public var entryNotional: Money { entryPrice.notional(quantity, .nearest) }

    /// Unrealized PnL at `price`: `sign × quantity × (price − entry)`, before fees.
    @inlinable
    public func unrealizedPnL(at price: Price) -> Money {
        Money(raw: FixedPoint.saturatingMultiplyDivide(side.sign * (price.raw - entryPrice.raw), quantity.raw, FixedPoint.scale,
                                                       rounding: .nearest))
    }

    /// The position's return at `price`, each percentage named for what it measures.
    public func returns(at price: Price, equity: Money?) -> PositionReturns {
        PositionReturns.of(side: side, entryPrice: entryPrice, price: price, pnl: unrealizedPnL(at: price),
                           initialMargin: isolatedMargin, equity: equity)
    }
}

/// Percentages that say what they measure. The seed system mixed these up; here each has its
/// own name and definition. Values are percent (`-1.69` means −1.69%), for display and limits,
/// never for money arithmetic.
public struct PositionReturns: Sendable, Hashable {
    /// Price change from entry in the position's favour: `sign × (price − entry) / entry × 100`.
    public var priceMovePct: Double
    /// Return on initial margin: `pnl / initialMargin × 100` (≈ priceMovePct × leverage).
    public var roePct: Double?
    /// Share of account equity: `pnl / equity × 100`.
    public var equityPct: Double?

    public init(priceMovePct: Double, roePct: Double?, equityPct: Double?) {
        self.priceMovePct = priceMovePct
        self.roePct = roePct
        self.equityPct = equityPct
    }

    /// Percentages are display values: computed in `Double`, so any price or amount gives a number
    /// (never a trap).
    public static func of(side: Side, entryPrice: Price, price: Price, pnl: Money, initialMargin: Money?, equity: Money?) -> PositionReturns {
        func percent(_ part: Double, _ whole: Double) -> Double? { whole == 0 ? nil : part / whole * 100 }
        let move = percent(Double(price.raw) - Double(entryPrice.raw), Double(entryPrice.raw)) ?? 0
        let roe = initialMargin.flatMap { percent(Double(pnl.raw), Double($0.raw)) }
        let share = equity.flatMap { percent(Double(pnl.raw), Double($0.raw)) }
        return PositionReturns(priceMovePct: Double(side.sign) * move, roePct: roe, equityPct: share)
    }
}
