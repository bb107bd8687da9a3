import TradingModel

/// Account-level news from the venue that is not an order report: the runtime alerts and
/// re-checks (Binance `MARGIN_CALL`, `ACCOUNT_CONFIG_UPDATE`; a message that
/// could not be read arrives as `RuntimeInput.venueMessageDropped`).
public enum VenueNotice: Sendable, Hashable {
    /// The venue warns that margin is close to maintenance (positions near liquidation).
    case marginCall(detail: String, time: Timestamp)
    /// The leverage of `symbol` was changed (by hand, outside the bot).
    case leverageChanged(symbol: Symbol, leverage: Int, time: Timestamp)
}
