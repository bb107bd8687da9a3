import TradingModel

/// What the kernel knows about the account when a signal must be judged.
public struct EntryContext: Sendable {
    public var time: Timestamp
    public var instrument: Instrument
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

    public init(time: Timestamp, instrument: Instrument, price: Price, equity: Money, availableMargin: Money,
                openPositions: [Position], prices: [Symbol: Price], fundingRate: Rate?) {
        self.time = time
        self.instrument = instrument
        self.price = price
        self.equity = equity
        self.availableMargin = availableMargin
        self.openPositions = openPositions
        self.prices = prices
        self.fundingRate = fundingRate
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
