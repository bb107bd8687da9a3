/// The venue's request-weight and order-count limits, as Binance publishes them in
/// `exchangeInfo.rateLimits` (digest §5). Defaults are the 2024 capture's: 2400 weight a minute,
/// 1200 orders a minute, 300 orders per 10 s. Tests lower them to reach a limit in a few calls.
public struct VenueRateLimits: Sendable, Hashable {
    /// `REQUEST_WEIGHT` per 1 minute (per IP).
    public var weightPerMinute: Int
    /// `ORDERS` per 1 minute (per account).
    public var ordersPerMinute: Int
    /// `ORDERS` per 10 seconds (per account).
    public var ordersPerTenSeconds: Int
    /// How long the first IP ban lasts (418) for a client that keeps sending weighted requests
    /// after a 429; each further ban doubles it (Binance: "from 2 minutes to 3 days").
    public var firstBan: Duration

    public init(weightPerMinute: Int = 2400, ordersPerMinute: Int = 1200, ordersPerTenSeconds: Int = 300,
                firstBan: Duration = .seconds(120)) {
        self.weightPerMinute = weightPerMinute
        self.ordersPerMinute = ordersPerMinute
        self.ordersPerTenSeconds = ordersPerTenSeconds
        self.firstBan = firstBan
    }

    public static let binance = VenueRateLimits()
}
