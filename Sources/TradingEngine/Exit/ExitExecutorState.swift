import TradingModel

/// The complete, serialisable state of one `ExitExecutor` (saved as JSON on every change and
/// restored on restart): levels, slices hit, stop moves, backstop ids, last price event time.
public struct ExitExecutorState: Sendable, Hashable, Codable {
    public enum Phase: String, Sendable, Hashable, Codable {
        /// Created; the backstop has not been sent yet.
        case awaitingStart = "awaiting_start"
        /// Watching the price.
        case active
        /// A close of the whole remaining quantity is under way (stop, manual, backstop, fail-closed).
        case closing
        /// Flat: nothing left to protect.
        case finished
    }

    /// One take-profit slice of the plan (quantities re-planned when the size changes outside the bot).
    public struct Slice: Sendable, Hashable, Codable {
        public var level: Int
        public var price: Price
        public var quantity: Quantity
        public var hit: Bool
    }

    /// A reduce-only market close that has been sent and is not fully filled yet.
    public struct PendingClose: Sendable, Hashable, Codable {
        public var clientOrderID: ClientOrderID
        public var reason: ExitReason
        /// Take-profit level (1…3), or 0 for a close of the whole remaining quantity.
        public var level: Int
        public var quantity: Quantity
        public var filled: Quantity
        public var attempts: Int
        public var accepted: Bool
        /// When the next attempt is due after a rejection (timer-driven).
        public var retryAt: Timestamp?
        /// Event time of the price event that crossed the level.
        public var levelCrossedAt: Timestamp
        /// When the current attempt was sent.
        public var sentAt: Timestamp
        /// A CRITICAL alert has been raised for this close.
        public var escalated: Bool

        public var unfilled: Quantity { quantity - filled }
    }

    /// An exchange backstop order (reduce-only close-position STOP_MARKET).
    public struct BackstopOrder: Sendable, Hashable, Codable {
        public var clientOrderID: ClientOrderID
        public var triggerPrice: Price
        public var sentAt: Timestamp
        public var acceptedAt: Timestamp?
    }

    /// A move of the local stop.
    public struct StopMove: Sendable, Hashable, Codable {
        public var from: Price
        public var to: Price
        public var reason: ExitReason
        public var time: Timestamp
    }

    public var positionKey: String
    public var symbol: Symbol
    public var side: Side
    public var entryPrice: Price
    public var leverage: Int
    public var openQuantity: Quantity
    public var stopPrice: Price
    /// What a stop hit is recorded as (`stop_loss`, `break_even_stop`, `profit_lock_stop`, `trailing_stop`).
    public var stopReason: ExitReason
    /// Desired backstop trigger (stop plus buffer).
    public var backstopPrice: Price
    public var slices: [Slice]
    /// Index of the first slice not yet sent.
    public var nextSliceIndex: Int
    public var phase: Phase
    public var closeReason: ExitReason?
    public var pendingCloses: [PendingClose]
    /// The accepted, resting backstop.
    public var restingBackstop: BackstopOrder?
    /// A backstop sent and not accepted yet (the replacement when the stop moves).
    public var pendingBackstop: BackstopOrder?
    /// Failed attempts of the current backstop placement.
    public var backstopAttempts: Int
    /// When the next backstop attempt is due after a failed one (`backstopRetry.interval`,
    /// timer-driven); nil when none waits.
    public var backstopRetryAt: Timestamp? = nil
    /// Backstops whose cancel has been sent and not confirmed.
    public var backstopsToCancel: [ClientOrderID]
    public var stopMoves: [StopMove]
    /// Best price seen since the trailing stop became active.
    public var bestPrice: Price?
    /// `ClientOrderIDGenerator` state (run tag and sequence).
    public var orderIDRunTag: String
    public var orderIDSequence: Int64
    /// Event time of the last price event processed (also kept in memory between saves).
    public var lastPriceEventAt: Timestamp?
    /// Time of the last event of any kind processed.
    public var lastEventAt: Timestamp?
    public var metrics: ExitTradeMetrics

    /// Next deterministic client order id.
    mutating func nextOrderID(_ purpose: OrderPurpose) -> ClientOrderID {
        var generator = ClientOrderIDGenerator(runTag: orderIDRunTag, startingAt: orderIDSequence)
        let id = generator.next(purpose)
        orderIDSequence = generator.sequence
        return id
    }

    /// Quantity not yet covered by an outstanding close.
    var unallocatedQuantity: Quantity {
        var outstanding = Quantity.zero
        for close in pendingCloses { outstanding += close.unfilled }
        let free = openQuantity - outstanding
        return free.isNegative ? .zero : free
    }

    /// True when `price` is at or beyond the stop.
    func crossesStop(_ price: Price) -> Bool {
        side == .long ? price.raw <= stopPrice.raw : price.raw >= stopPrice.raw
    }

    /// True when `price` is at or beyond `target` in the position's favour.
    func reaches(_ price: Price, target: Price) -> Bool {
        side == .long ? price.raw >= target.raw : price.raw <= target.raw
    }
}

extension ExitReason {
    /// `take_profit_n` for a level.
    static func takeProfit(level: Int) -> ExitReason {
        switch level {
        case 1: .takeProfit1
        case 2: .takeProfit2
        case 3: .takeProfit3
        default: .takeProfit
        }
    }
}
