import TradingModel

/// A recorded failure of protection, found by the `Watchdog`: what was wrong, the numbers behind
/// it, and what was done (a CRITICAL alert and a reduce-only market close).
public struct Incident: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        /// The price was beyond the stop by more than the tolerance and the position was open.
        case beyondStop = "beyond_stop"
        /// No accepted exchange backstop rested for longer than allowed.
        case missingBackstop = "missing_backstop"
        /// The executor processed no event while the market moved on.
        case executorSilent = "executor_silent"
        /// The venue holds a position that no owner reports (no live exit owner at all).
        case positionWithoutOwner = "position_without_owner"
    }

    public var kind: Kind
    public var positionKey: String
    public var symbol: Symbol
    public var side: Side
    public var detectedAt: Timestamp
    /// Last price the watchdog saw for the symbol.
    public var price: Price?
    /// The owner's stop (zero for `positionWithoutOwner`: there is none).
    public var stopPrice: Price
    public var remainingQuantity: Quantity
    /// The executor named by the status (which owner failed).
    public var executor: String
    /// Human-readable account with the measured values.
    public var detail: String
    /// Client id of the force-close order sent.
    public var forceCloseOrderID: ClientOrderID

    public init(kind: Kind, positionKey: String, symbol: Symbol, side: Side, detectedAt: Timestamp, price: Price?, stopPrice: Price,
                remainingQuantity: Quantity, executor: String, detail: String, forceCloseOrderID: ClientOrderID) {
        self.kind = kind
        self.positionKey = positionKey
        self.symbol = symbol
        self.side = side
        self.detectedAt = detectedAt
        self.price = price
        self.stopPrice = stopPrice
        self.remainingQuantity = remainingQuantity
        self.executor = executor
        self.detail = detail
        self.forceCloseOrderID = forceCloseOrderID
    }
}
