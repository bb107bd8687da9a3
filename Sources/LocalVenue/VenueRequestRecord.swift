import TradingModel

/// One REST request as the venue logged it.
public struct VenueRequestRecord: Sendable, Hashable {
    public var method: String
    public var path: String
    public var parameters: [String: String]
    /// Venue time when it arrived.
    public var time: Timestamp
    /// The HTTP status answered.
    public var status: Int
}
