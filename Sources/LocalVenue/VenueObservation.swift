import TradingModel

/// Counters of the venue, for bounded waits in tests and `GET /venue/state`.
public struct VenueObservation: Sendable, Hashable {
    public var now = Timestamp(milliseconds: 0)
    public var requestCount = 0
    public var userStreamsOpened = 0
    public var marketStreamsOpened = 0
    public var openUserStreams = 0
    public var openMarketStreams = 0
    public var userMessagesDelivered = 0
    /// User-data messages discarded during an outage (`beginUserDataOutage`).
    public var userMessagesLost = 0
    public var faultsFired = 0
    /// Requests that arrived while a 429 back-off was in force (each answered 418).
    public var requestsDuringBackOff = 0
    /// Requests refused with 429/418 by the weight or order-count limits.
    public var rateLimitRefusals = 0
    /// Answers held by the `slowAnswer` fault, and how many `releaseSlowAnswers()` released.
    public var slowAnswersHeld = 0
    public var slowAnswersReleased = 0
}
