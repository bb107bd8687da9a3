import TradingModel

/// The figures of an open position at a price, computed one way for every view (`qt diagnose`,
/// the dashboard, alerts): notional at the price, unrealised PnL, price move and ROE, and the
/// isolated liquidation price.
///
/// The seed bot's post-mortem mixed these up (it multiplied the notional by the ROE and so
/// reported a PnL leverage times too large). Here:
/// - `priceMovePct = sign × (price − entry) / entry × 100` — what the market did for the position;
/// - `unrealizedPnL = sign × quantity × (price − entry)` — money, before fees;
/// - `roePct = unrealizedPnL / initialMargin × 100` — ≈ `priceMovePct × leverage`.
public struct PositionFigures: Sendable, Hashable {
    public var price: Price
    /// `quantity × price`.
    public var notional: Money
    public var unrealizedPnL: Money
    public var returns: PositionReturns
    /// Isolated liquidation price; nil when unknown or the position cannot be liquidated.
    public var liquidationPrice: Price?

    /// The figures at `price`. `liquidationPrice` is taken as given when known (the portfolio
    /// keeps it exactly); otherwise it is computed from `instrument`'s margin tiers on the
    /// position's isolated margin, when an instrument is given.
    public static func of(_ position: Position, at price: Price, equity: Money? = nil, liquidationPrice: Price? = nil,
                          instrument: Instrument? = nil) -> PositionFigures {
        var liquidation = liquidationPrice
        if liquidation == nil, let instrument, !instrument.marginBrackets.isEmpty {
            let bracket = instrument.bracket(forNotional: position.entryNotional)
            let computed = LiquidationPrice.isolated(side: position.side, quantity: position.quantity, entryPrice: position.entryPrice,
                                                     isolatedMargin: position.isolatedMargin, bracket: bracket)
            liquidation = computed.isPositive ? computed : nil
        }
        return PositionFigures(price: price, notional: price.notional(position.quantity, .nearest),
                               unrealizedPnL: position.unrealizedPnL(at: price), returns: position.returns(at: price, equity: equity),
                               liquidationPrice: liquidation.flatMap { $0.isPositive ? $0 : nil })
    }
}
