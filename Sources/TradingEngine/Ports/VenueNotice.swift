import TradingModel

/// Account-level news from the venue that is not an order report: the runtime alerts and
/// re-checks (Binance `MARGIN_CALL`, `ACCOUNT_CONFIG_UPDATE`, `ACCOUNT_UPDATE` wallets; a message that
/// could not be read arrives as `RuntimeInput.venueMessageDropped`).
public enum VenueNotice: Sendable, Hashable {
    /// The venue warns that margin is close to maintenance (positions near liquidation).
    case marginCall(detail: String, time: Timestamp)
    /// The leverage of `symbol` was changed (by hand, outside the bot).
    case leverageChanged(symbol: Symbol, leverage: Int, time: Timestamp)
    /// The account's USDT wallet changed (Binance `ACCOUNT_UPDATE` balance row: fees and realised
    /// PnL of fills, funding, a transfer, a deposit): `walletBalance` is the venue's wallet after
    /// it, `reason` the venue's (`ORDER`, `FUNDING_FEE`, `DEPOSIT`, `WITHDRAW`, …). Sent also when
    /// the update carries no position, so a change no order report explains still arrives.
    case walletChanged(walletBalance: Money, reason: String, time: Timestamp)
}
