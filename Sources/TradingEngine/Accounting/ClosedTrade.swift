import TradingModel

/// One round trip, from the first entry fill to flat, with its accounting.
/// `netPnL = grossPnL − fees − funding` (funding positive = paid).
public struct ClosedTrade: Sendable, Hashable {
    public var symbol: Symbol
    public var side: Side
    /// Largest open quantity of the position.
    public var quantity: Quantity
    public var entryTime: Timestamp
    /// Volume-weighted entry price.
    public var entryPrice: Price
    public var exitTime: Timestamp
    /// Volume-weighted exit price over every slice (the liquidation price when liquidated).
    public var exitPrice: Price
    public var exitReason: ExitReason
    /// Price PnL of all slices; a liquidation books the lost isolated margin here.
    public var grossPnL: Money
    /// Commissions of entry and exit fills.
    public var fees: Money
    /// Funding paid (positive) or received (negative) while open.
    public var funding: Money
    public var leverage: Int
    /// The entry plan's stop (the risk the trade was sized for); nil when the entry had none.
    public var plannedStop: Price?
    /// The most favourable price the kernel saw while the position was open (prices routed to
    /// the exit owner, and the high/low of bars that began after the entry); nil when unknown.
    public var bestPrice: Price?
    /// Take-profit levels (1…3) whose slice filled (a single `take_profit` counts as level 1).
    public var targetsHit: [Int] = []

    public init(symbol: Symbol, side: Side, quantity: Quantity, entryTime: Timestamp, entryPrice: Price, exitTime: Timestamp,
                exitPrice: Price, exitReason: ExitReason, grossPnL: Money, fees: Money, funding: Money, leverage: Int) {
        self.symbol = symbol
        self.side = side
        self.quantity = quantity
        self.entryTime = entryTime
        self.entryPrice = entryPrice
        self.exitTime = exitTime
        self.exitPrice = exitPrice
        self.exitReason = exitReason
        self.grossPnL = grossPnL
        self.fees = fees
        self.funding = funding
        self.leverage = leverage
    }

    /// PnL after fees and funding.
    public var netPnL: Money { grossPnL - fees - funding }
}
