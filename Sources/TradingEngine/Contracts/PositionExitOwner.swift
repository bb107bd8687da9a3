import TradingModel

/// Why (part of) a position was closed.
public enum ExitReason: String, Sendable, Hashable, Codable {
    case stopLoss = "stop_loss"
    case takeProfit1 = "take_profit_1"
    case takeProfit2 = "take_profit_2"
    case takeProfit3 = "take_profit_3"
    case takeProfit = "take_profit"
    /// The trailing stop of the last slice (`trailing_stop_distance`).
    case trailingStop = "trailing_stop"
    /// A stop moved up to a take-profit price after a later target (e.g. to TP1 after TP2).
    case profitLockStop = "profit_lock_stop"
    /// A stop moved to break-even plus fees (after TP1 by default).
    case breakEvenStop = "break_even_stop"
    case backstop = "backstop"
    case reversal = "reversal"
    case watchdog = "watchdog"
    case manual = "manual"
    case external = "external"
    case liquidation = "liquidation"
    case riskFlatten = "risk_flatten"
    case endOfData = "end_of_data"
}

/// A price the exit engine reacts to, with where it came from.
public struct PriceEvent: Sendable, Hashable {
    public enum Source: String, Sendable, Hashable, Codable {
        case markPrice = "mark"
        case lastTrade = "last"
        /// A point of the simulated intrabar path of a candle (backtests).
        case barPath = "bar"
    }
    public var symbol: Symbol
    public var price: Price
    public var source: Source
    public var eventTime: Timestamp
    public var receiveTime: Timestamp

    public init(symbol: Symbol, price: Price, source: Source, eventTime: Timestamp, receiveTime: Timestamp) {
        self.symbol = symbol
        self.price = price
        self.source = source
        self.eventTime = eventTime
        self.receiveTime = receiveTime
    }
}

/// Input to the owner of a position's exits.
public enum ExitEvent: Sendable, Hashable {
    case price(PriceEvent)
    /// Venue reports for orders and the position (only those of this position are routed here).
    case execution(ExecutionEvent)
    /// Periodic tick from the runtime (retry timers, backstop deadlines).
    case timer(Timestamp)
    /// A person asked to close the position.
    case manualClose(Timestamp)
}

/// Output of the owner of a position's exits, performed by the runtime.
public enum ExitAction: Sendable, Hashable {
    /// Send an order (reduce-only closes and the exchange-side backstop).
    case submit(OrderRequest)
    case cancel(ClientOrderID, symbol: Symbol)
    case alert(Alert)
    /// Persist the exit state (on every change; restored on restart).
    case saveState(ExitStateSnapshot)
    /// Part of the position was closed for `reason` (for per-trade metrics).
    case sliceClosed(reason: ExitReason, quantity: Quantity, price: Price, time: Timestamp)
    /// The position is flat; the owner is finished.
    case finished(reason: ExitReason, time: Timestamp)
}

/// Serialised exit state for the store: which executor, the current levels, and when it last
/// processed a price event.
public struct ExitStateSnapshot: Sendable, Hashable {
    public var positionKey: String
    public var symbol: Symbol
    public var executor: String
    public var stateJSON: String
    public var lastPriceEventAt: Timestamp?

    public init(positionKey: String, symbol: Symbol, executor: String, stateJSON: String, lastPriceEventAt: Timestamp?) {
        self.positionKey = positionKey
        self.symbol = symbol
        self.executor = executor
        self.stateJSON = stateJSON
        self.lastPriceEventAt = lastPriceEventAt
    }
}

/// The single owner of every exit of one position: only it may send reduce-only orders for the
/// position. The kernel creates one when the entry fills and routes every price event and every
/// execution report of the position to it.
///
/// Implementations: the exit engine's `ExitExecutor` (tick-driven, with backstop) and the
/// reference `FixedBracketExit` of the `ema-cross` benchmark (fixed stop and target).
public protocol PositionExitOwner {
    /// Name recorded in the store and shown by `qt status` (`tick-exit-executor`).
    var executorName: String { get }
    mutating func on(_ event: ExitEvent) -> [ExitAction]
    /// The same as `on(_:)`, appending the actions to `actions` (the kernel's reused buffer, so
    /// a hot owner allocates nothing per event). Optional: the default appends what `on(_:)`
    /// returns; an owner that implements it should implement `on(_:)` through it.
    mutating func on(_ event: ExitEvent, into actions: inout [ExitAction])
    /// The local trigger prices the owner watches right now (its stop and its next target), so a
    /// bar replay can emit a `.barPath` price event exactly at each crossing. Optional: the
    /// default watches nothing, and the kernel then uses the entry's exit plan levels.
    var watchedLevels: WatchedPriceLevels { get }
    /// True when the owner acts on a price only if it reaches a watched level (no trailing, no
    /// per-price state), so a replay may skip the path of a bar whose whole range lies strictly
    /// inside the levels. Optional: the default is false (every price is routed).
    var reactsOnlyToWatchedLevels: Bool { get }
    /// The owner's live status (levels, backstop, last processed event) for the watchdog's
    /// heartbeat and `qt status`. Optional: the default (nil) means the owner reports none, and
    /// the watchdog does not watch its positions (the reference bracket has no backstop).
    var exitStatus: ExitStatus? { get }
}

extension PositionExitOwner {
    @inlinable
    public mutating func on(_ event: ExitEvent, into actions: inout [ExitAction]) {
        actions.append(contentsOf: on(event))
    }
    public var watchedLevels: WatchedPriceLevels { WatchedPriceLevels() }
    public var reactsOnlyToWatchedLevels: Bool { false }
    public var exitStatus: ExitStatus? { nil }
}

/// The levels a position's exit owner reacts to (added for bar-path replay; nil = none).
public struct WatchedPriceLevels: Sendable, Hashable {
    public var stop: Price?
    public var target: Price?

    @inlinable
    public init(stop: Price? = nil, target: Price? = nil) {
        self.stop = stop
        self.target = target
    }

    /// True when neither level is set.
    @inlinable public var isEmpty: Bool { stop == nil && target == nil }
}
