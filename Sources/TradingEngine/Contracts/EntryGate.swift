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

/// The outcome of pre-trade validation. A rejection lists *every* failed check with the
/// measured values behind it, as text a person can read (`confidenceBelowThreshold(0.72, required: 0.80)`).
public enum EntryDecision: Sendable, Hashable {
    case approved(ApprovedEntry)
    case rejected(signal: Signal, reasons: [String])

    public var isApproved: Bool { if case .approved = self { true } else { false } }
}

/// Decides whether a signal becomes an entry, and with which size, leverage and exit plan.
/// Implementations: `PreTradeValidator` (validation and risk) and, for the reference
/// benchmark strategy only, a fixed-notional sizer named as such in the configuration.
/// Nothing is approved by default: a gate that cannot evaluate a check rejects.
public protocol EntryGate {
    /// Every market event, in time order, so the gate can keep its own rolling history
    /// (higher-timeframe trend, regime, correlations).
    mutating func observe(_ event: MarketEvent)
    /// Judges a signal.
    mutating func evaluate(_ signal: Signal, context: EntryContext) -> EntryDecision
    /// A position closed (for cooldowns after a stop-loss and daily-loss accounting).
    mutating func positionClosed(symbol: Symbol, reason: ExitReason, netPnL: Money, time: Timestamp)
}
