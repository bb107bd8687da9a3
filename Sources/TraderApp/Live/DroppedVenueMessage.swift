import TradingModel

/// A venue stream message the adapter dropped because it could not be parsed or carried absurd
/// values (the Binance adapter's `BinanceStreamProblem`, venue-neutral for the runtime).
public struct DroppedVenueMessage: Sendable, Hashable {
    public enum Stream: String, Sendable, Hashable {
        /// The account's order and position events: whatever the message said is lost (a gap).
        case userData = "user-data"
        /// Prices and klines: the next message supersedes it.
        case market
    }

    public var stream: Stream
    /// What was wrong, naming the payload and field.
    public var reason: String
    public var receivedAt: Timestamp

    public init(stream: Stream, reason: String, receivedAt: Timestamp) {
        self.stream = stream
        self.reason = reason
        self.receivedAt = receivedAt
    }
}
