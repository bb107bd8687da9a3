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
        Money(raw: FixedPoint.multiplyDivide(side.sign * (price.raw - entryPrice.raw), quantity.raw, FixedPoint.scale, rounding: .nearest))
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

    public static func of(side: Side, entryPrice: Price, price: Price, pnl: Money, initialMargin: Money?, equity: Money?) -> PositionReturns {
        let move = price.relativeChange(from: entryPrice, .nearest)
        let roe = initialMargin.flatMap { pnl.ratio(to: $0, .nearest) }
        let share = equity.flatMap { pnl.ratio(to: $0, .nearest) }
        return PositionReturns(priceMovePct: Double(side.sign) * move.percent, roePct: roe?.percent, equityPct: share?.percent)
    }
}
