import TradingEngine
import TradingModel

/// What the live runtime holds after an input: its closed trades and, per open position, the
/// levels its exit owner watches. A value, taken inside the actor (`LiveRuntime.state`), for
/// observers (paper-session logs, pacing) that must not reach into the actor.
public struct RuntimeState: Sendable, Hashable {
    /// Time of the runtime's clock (venue time in replays).
    public var time: Timestamp
    /// Every trade closed so far, in closing order.
    public var trades: [ClosedTrade]
    /// Open positions in instrument order, each with its exit owner's levels.
    public var positions: [PositionExitView]
    /// The run the runtime records under (0 when built without one).
    public var runID: Int64 = 0
    /// The symbols the runtime trades.
    public var symbols: [Symbol] = []
    /// The runtime's wallet ledger.
    public var walletBalance: Money?
    /// The validator's risk engine state; nil when the gate is not the validator.
    public var riskState: RiskState?
    /// The manual halt in force (`qt risk halt`, `/halt`); nil when none.
    public var manualHalt: String?
    /// Why entries are halted for the rest of the run (configuration or store failure); nil when not.
    public var haltReason: String?
    public var venueStreamInSync = true
    public var marketStreamInSync = true
    /// False until the first reconciliation with the venue succeeded (entries blocked meanwhile).
    public var reconciled = true

    public init(time: Timestamp, trades: [ClosedTrade], positions: [PositionExitView]) {
        self.time = time
        self.trades = trades
        self.positions = positions
    }
}

/// One open position and what protects it.
public struct PositionExitView: Sendable, Hashable {
    public var position: Position
    /// The exit owner's name (`fixed-bracket-exit`, `exit-executor`); nil when none owns it.
    public var executor: String?
    /// The price that stops the position out; nil without an owner.
    public var stopPrice: Price?
    /// Take-profit prices not hit yet, nearest first.
    public var targetPrices: [Price]
    /// Trigger of the exchange-side backstop resting at the venue; nil when none rests (the
    /// reference bracket places none).
    public var backstopPrice: Price?
    /// True when the owner reports a live `ExitStatus` (the exit executor; the watchdog watches it).
    public var reportsStatus = false
    /// True when the owner has a close of the whole position under way.
    public var closing = false
    /// When the owner last processed a price event (from its status).
    public var lastPriceEventAt: Timestamp?
    /// The position's isolated liquidation price (nil when it cannot be liquidated).
    public var liquidationPrice: Price?

    public init(position: Position, executor: String?, stopPrice: Price?, targetPrices: [Price], backstopPrice: Price?) {
        self.position = position
        self.executor = executor
        self.stopPrice = stopPrice
        self.targetPrices = targetPrices
        self.backstopPrice = backstopPrice
    }
}
