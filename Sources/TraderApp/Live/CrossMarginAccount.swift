import TradingEngine
import TradingModel

/// The account's margin as a cross-margin position sees it, from one reconciliation's read: the
/// wallet, and every open position with its margin mode, maintenance margin and unrealised PnL.
/// A cross position's liquidation comes from all of it (Binance's cross formula,
/// `LiquidationPrice.cross`), not from the isolated estimate at its leverage: other positions'
/// maintenance margin and losses bring it closer, their gains push it away.
struct CrossMarginAccount: Sendable {
    /// The USDT wallet balance (cross and isolated wallets together).
    var walletBalance: Money
    var positions: [PositionSnapshot]
    /// Traded symbols still in cross margin; the other traded symbols are isolated (the session set them).
    var crossSymbols: Set<Symbol>
    var tradedSymbols: Set<Symbol>

    /// True when `position` shares the cross wallet: a traded symbol by what the session knows,
    /// another symbol when the venue reports no isolated margin for it.
    func isCross(_ position: PositionSnapshot) -> Bool {
        tradedSymbols.contains(position.symbol) ? crossSymbols.contains(position.symbol) : position.isolatedMargin.isZero
    }

    /// What goes into `position`'s cross liquidation price, or why it cannot be computed.
    struct Margin: Sendable, Hashable {
        var crossWalletBalance: Money
        var otherMaintenanceMargin: Money
        var otherUnrealizedPnL: Money
    }

    /// The cross wallet (wallet minus isolated positions' wallets, `isolatedMargin − unrealisedPnL`)
    /// and the other cross positions' maintenance margin and unrealised PnL; nil when another
    /// cross position's maintenance margin is not reported or the sums do not fit.
    func margin(for position: PositionSnapshot) -> Margin? {
        var wallet = Int128(walletBalance.raw)
        var maintenance = Int128(0)
        var unrealized = Int128(0)
        for other in positions where other.symbol != position.symbol && !other.signedQuantity.isZero {
            if isCross(other) {
                guard let required = other.maintenanceMargin else { return nil }
                maintenance += Int128(required.raw)
                unrealized += Int128(other.unrealizedPnL.raw)
            } else {
                wallet -= Int128(other.isolatedMargin.raw) - Int128(other.unrealizedPnL.raw)
            }
        }
        guard let wallet = Int64(exactly: wallet), let maintenance = Int64(exactly: maintenance), let unrealized = Int64(exactly: unrealized) else { return nil }
        return Margin(crossWalletBalance: Money(raw: wallet), otherMaintenanceMargin: Money(raw: maintenance), otherUnrealizedPnL: Money(raw: unrealized))
    }

    /// The liquidation price to protect `position` against: the nearer of `computed` (this
    /// account's figure, zero when the margin covers the whole position) and the venue's own
    /// `liquidationPrice` — the higher for a long, the lower for a short; zeros ignored, nil when
    /// both are zero.
    static func nearer(_ computed: Price, orVenueFigureOf position: PositionSnapshot) -> Price? {
        let candidates = [computed, position.liquidationPrice ?? .zero].filter(\.isPositive)
        return Reconciliation.side(of: position) == .long ? candidates.max() : candidates.min()
    }

    /// `position`'s liquidation price from the account's actual margin (zero: it cannot be
    /// liquidated); nil when it cannot be computed (see `margin(for:)`, or no margin tiers).
    func liquidationPrice(of position: PositionSnapshot, instrument: Instrument) -> Price? {
        guard !instrument.marginBrackets.isEmpty, let margin = margin(for: position),
              let notional = FastFixedPoint.checkedNotional(position.entryPrice, position.signedQuantity.magnitude, .nearest) else { return nil }
        return LiquidationPrice.cross(side: Reconciliation.side(of: position), quantity: position.signedQuantity.magnitude,
                                      entryPrice: position.entryPrice, crossWalletBalance: margin.crossWalletBalance,
                                      otherMaintenanceMargin: margin.otherMaintenanceMargin, otherUnrealizedPnL: margin.otherUnrealizedPnL,
                                      bracket: instrument.bracket(forNotional: notional))
    }
}
