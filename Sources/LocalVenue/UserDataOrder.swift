/// Where the `ACCOUNT_UPDATE` of a fill goes among the fill's own user-data messages. Binance
/// does not promise an order, so the venue can send any (`VenueController.setUserDataOrder`).
public enum UserDataOrder: String, Sendable, Hashable, CaseIterable {
    /// After the `ORDER_TRADE_UPDATE`s of the fill (and the triggered algo's `FINISHED`): the default.
    case accountUpdateLast
    /// Before them: the position report arrives first, the fills after.
    case accountUpdateFirst
    /// After the first message of the fill (between a triggered stop's `NEW` and its `TRADE`, or
    /// between the parts of a fill reported in several parts).
    case interleaved
}
