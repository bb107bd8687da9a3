import TradingModel

/// What the kernel knows about the account when a signal must be judged.
///
/// The candidate's instrument is referenced, not copied: the context holds the kernel's
/// instrument list (one reference) and the candidate's index in it; `instrument` reads it in place.
public struct EntryContext: Sendable {
    public var time: Timestamp
    /// The instruments of the run (the kernel's list, shared) …
    public var instruments: [Instrument]
    /// … and the index of the candidate symbol's instrument in it.
    public var instrumentIndex: Int
    /// Latest price of the candidate symbol (the expected entry price).
    public var price: Price
    /// Wallet balance plus unrealized PnL.
    public var equity: Money
    /// Margin not tied up in positions or orders.
    public var availableMargin: Money
    /// Every open position.
    public var openPositions: [Position]
    /// Latest price of each symbol with an open position.
    public var prices: [Symbol: Price]
    /// Current (predicted) funding rate of the candidate symbol, when known.
    public var fundingRate: Rate?

    /// A context for `instrument` alone.
    public init(time: Timestamp, instrument: Instrument, price: Price, equity: Money, availableMargin: Money,
                openPositions: [Position], prices: [Symbol: Price], fundingRate: Rate?) {
        self.init(time: time, instruments: [instrument], instrumentIndex: 0, price: price, equity: equity, availableMargin: availableMargin,
                  openPositions: openPositions, prices: prices, fundingRate: fundingRate)
    }

    /// A context for `instruments[instrumentIndex]` (the kernel's: no copy of the instrument).
    @inlinable
    public init(time: Timestamp, instruments: [Instrument], instrumentIndex: Int, price: Price, equity: Money, availableMargin: Money,
                openPositions: [Position], prices: [Symbol: Price], fundingRate: Rate?) {
        precondition(instruments.indices.contains(instrumentIndex), "instrument index out of range")
        self.time = time
        self.instruments = instruments
        self.instrumentIndex = instrumentIndex
        self.price = price
        self.equity = equity
        self.availableMargin = availableMargin
        self.openPositions = openPositions
        self.prices = prices
        self.fundingRate = fundingRate
    }

    /// The candidate symbol's instrument, read in place (not copied to call its methods).
    @inlinable
    public var instrument: Instrument {
        _read { yield instruments[instrumentIndex] }
        _modify { yield &instruments[instrumentIndex] }
    }
}

/// An approved entry: exact size, leverage and exit plan.
public struct ApprovedEntry: Sendable, Hashable {
    public var signal: Signal
    public var quantity: Quantity
    public var leverage: Int
    public var plan: ExitPlan

    public init(signal: Signal, quantity: Quantity, leverage: Int, plan: ExitPlan) {
        self.signal = signal
        self.quantity = quantity
        self.leverage = leverage
        self.plan = plan
    }
}

/// The outcome of pre-trade validation. A rejection lists *every* failed check as a typed
/// `RejectionReason` with the measured values behind it; its `description` is the text stored and
/// shown (`confidenceBelowThreshold(0.72, required: 0.80)`).
public enum EntryDecision: Sendable, Hashable {
    case approved(ApprovedEntry)
    case rejected(signal: Signal, reasons: [RejectionReason])

    public var isApproved: Bool { if case .approved = self { true } else { false } }
}

/// What a gate returns for one signal: the decision, the validator's full report when the gate
/// measured one (trend, regime, sizes of rejected entries too), and the risk actions the
/// evaluation caused (a daily-loss halt crossed by the equity the signal was judged at). The
/// kernel emits all of it as actions; nothing is buffered in the gate.
public struct EntryEvaluation: Sendable, Hashable {
    public var decision: EntryDecision
    public var report: ValidationReport?
    public var riskActions: [RiskAction]

    public init(_ decision: EntryDecision, report: ValidationReport? = nil, riskActions: [RiskAction] = []) {
        self.decision = decision
        self.report = report
        self.riskActions = riskActions
    }

    public var isApproved: Bool { decision.isApproved }
}

/// Decides whether a signal becomes an entry, and with which size, leverage and exit plan.
/// Implementations: `PreTradeValidator` (validation and risk) and, for the reference
/// benchmark strategy only, a fixed-notional sizer named as such in the configuration.
/// Nothing is approved by default: a gate that cannot evaluate a check rejects.
///
/// Every input that can change the account's risk state returns the `RiskAction`s it caused;
/// the kernel hands them to its driver as `KernelAction.risk`.
public protocol EntryGate {
    /// Every market event, in time order, so the gate can keep its own rolling history
    /// (higher-timeframe trend, regime, correlations).
    mutating func observe(_ event: MarketEvent)
    /// Judges a signal.
    mutating func evaluate(_ signal: Signal, context: EntryContext) -> EntryEvaluation
    /// A position closed (for cooldowns after a stop-loss and daily-loss accounting).
    mutating func positionClosed(symbol: Symbol, reason: ExitReason, netPnL: Money, time: Timestamp) -> [RiskAction]
    /// A risk event (an equity update at a bar close, a halt or resume by hand). Default: none.
    mutating func onRisk(_ event: RiskEvent) -> [RiskAction]
    /// The state of the gate's risk engine. Default: nil (a gate without one).
    var riskState: RiskState? { get }
}

extension EntryGate {
    @inlinable public mutating func onRisk(_ event: RiskEvent) -> [RiskAction] { [] }
    @inlinable public var riskState: RiskState? { nil }
}
