import TradingModel

extension LiquidationPrice {
    /// Binance's cross-margin liquidation price for a one-way position (reference digest §9):
    ///
    ///     LP = (WB − TMM1 + UPNL1 + cum − side × size × EP) / (size × MMR − side × size)
    ///
    /// `WB` is the cross wallet balance (the wallet minus isolated positions' wallets), `TMM1`
    /// the maintenance margin of every *other* cross position, `UPNL1` their unrealised PnL; `cum`
    /// and `MMR` the tier of this position. The formula is the isolated one with the position's
    /// margin replaced by what the account has left for it (`WB − TMM1 + UPNL1`), so it shares its
    /// rounding (toward the position) and its extremes (zero: cannot be liquidated; `.max`: a long
    /// liquidated at every price). Nil when the account's amounts do not fit in `Money`.
    @inlinable
    public static func cross(side: Side, quantity: Quantity, entryPrice: Price, crossWalletBalance: Money, otherMaintenanceMargin: Money,
                             otherUnrealizedPnL: Money, bracket: MarginBracket) -> Price? {
        let available = Int128(crossWalletBalance.raw) - Int128(otherMaintenanceMargin.raw) + Int128(otherUnrealizedPnL.raw)
        guard let margin = Int64(exactly: available) else { return nil }
        return isolated(side: side, quantity: quantity, entryPrice: entryPrice, isolatedMargin: Money(raw: margin), bracket: bracket)
    }
}
