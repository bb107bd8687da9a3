import TradingModel

/// A listen key and when it expires (60 minutes after creation or the last keep-alive).
struct VenueListenKey: Sendable, Hashable {
    var key: String
    var apiKey: String
    var expiresAt: Timestamp
}
