import TradingModel

/// A stream message that was dropped: it could not be parsed, or its values are absurd
/// (`VenueValueLimits`). Reported upward as a value so the runtime can alert and, for the
/// user-data stream, treat it as a gap (Binance does not resend a lost event).
public struct BinanceStreamProblem: Sendable, Hashable, CustomStringConvertible {
    public enum Stream: String, Sendable, Hashable {
        case userData = "user-data"
        case market
    }

    public var stream: Stream
    /// What was wrong, naming the payload and field.
    public var error: BinanceDecodingError
    public var receivedAt: Timestamp

    public init(stream: Stream, error: BinanceDecodingError, receivedAt: Timestamp) {
        self.stream = stream
        self.error = error
        self.receivedAt = receivedAt
    }

    public var description: String { "\(stream.rawValue) message dropped: \(error)" }
}
