import TradingModel

/// What `qt status` and the watchdog see of one protected position: which executor owns it, the
/// current levels, whether the exchange backstop rests, and when the last price event was
/// processed. (Swift Testing also declares an `ExitStatus`: tests write `TradingEngine.ExitStatus`.)
public struct ExitStatus: Sendable, Hashable, Codable {
    public var positionKey: String
    public var symbol: Symbol
    public var executor: String
    public var side: Side
    public var phase: ExitExecutorState.Phase
    public var entryPrice: Price
    public var remainingQuantity: Quantity
    public var stopPrice: Price
    public var stopReason: ExitReason
    /// Trigger of the resting (accepted) backstop; nil when none rests.
    public var restingBackstopPrice: Price?
    /// Take-profit slices not hit yet.
    public var openTargets: [ExitTarget]
    public var lastPriceEventAt: Timestamp?
    /// Last event of any kind the executor processed.
    public var lastEventAt: Timestamp?

    public init(positionKey: String, symbol: Symbol, executor: String, side: Side, phase: ExitExecutorState.Phase, entryPrice: Price,
                remainingQuantity: Quantity, stopPrice: Price, stopReason: ExitReason, restingBackstopPrice: Price?,
                openTargets: [ExitTarget], lastPriceEventAt: Timestamp?, lastEventAt: Timestamp?) {
        self.positionKey = positionKey
        self.symbol = symbol
        self.executor = executor
        self.side = side
        self.phase = phase
        self.entryPrice = entryPrice
        self.remainingQuantity = remainingQuantity
        self.stopPrice = stopPrice
        self.stopReason = stopReason
        self.restingBackstopPrice = restingBackstopPrice
        self.openTargets = openTargets
        self.lastPriceEventAt = lastPriceEventAt
        self.lastEventAt = lastEventAt
    }

    /// True while there is a position to protect.
    public var isOpen: Bool { phase != .finished && remainingQuantity.isPositive }
}
