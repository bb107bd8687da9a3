/// One open position as the console shows it: what it is, where the market is, and what
/// protects it. Prices and money are decimal strings (fixed point, never `Double`); percentages
/// are numbers for display only.
public struct PositionRow: Sendable, Hashable, Codable {
    public var runID: Int64
    public var symbol: String
    /// `LONG` or `SHORT`.
    public var side: String
    public var quantity: String
    public var entryPrice: String
    /// The latest price the session saw (mark or last trade, as its exit owners use); nil when
    /// unknown (a store-only view).
    public var markPrice: String?
    public var stopPrice: String?
    /// Take-profit prices not hit yet, nearest first.
    public var targetPrices: [String]
    /// Price change from entry in the position's favour, percent.
    public var priceMovePct: Double?
    /// PnL over the initial margin, percent.
    public var roePct: Double?
    public var unrealizedPnl: String?
    public var liquidationPrice: String?
    public var leverage: Int?
    /// The exit owner's name (`exit-executor`); nil when none owns the position.
    public var exitOwner: String?
    /// Trigger of the exchange-side backstop resting at the venue; nil when none rests.
    public var backstopPrice: String?
    /// When the exit owner last processed a price event, ISO 8601.
    public var lastPriceEventAt: String?
    /// Seconds since that price event, on the session's clock.
    public var lastPriceEventAgeSeconds: Double?
    /// No price event processed for longer than the console's staleness limit.
    public var stale: Bool
    /// No exit owner, no stop, or no resting backstop where the owner places one.
    public var unprotected: Bool
    /// Why the position needs a person (an unreadable saved state); nil when none.
    public var problem: String?

    public init(runID: Int64, symbol: String, side: String, quantity: String, entryPrice: String, markPrice: String? = nil, stopPrice: String? = nil,
                targetPrices: [String] = [], priceMovePct: Double? = nil, roePct: Double? = nil, unrealizedPnl: String? = nil,
                liquidationPrice: String? = nil, leverage: Int? = nil, exitOwner: String? = nil, backstopPrice: String? = nil,
                lastPriceEventAt: String? = nil, lastPriceEventAgeSeconds: Double? = nil, stale: Bool = false, unprotected: Bool = false,
                problem: String? = nil) {
        self.runID = runID
        self.symbol = symbol
        self.side = side
        self.quantity = quantity
        self.entryPrice = entryPrice
        self.markPrice = markPrice
        self.stopPrice = stopPrice
        self.targetPrices = targetPrices
        self.priceMovePct = priceMovePct
        self.roePct = roePct
        self.unrealizedPnl = unrealizedPnl
        self.liquidationPrice = liquidationPrice
        self.leverage = leverage
        self.exitOwner = exitOwner
        self.backstopPrice = backstopPrice
        self.lastPriceEventAt = lastPriceEventAt
        self.lastPriceEventAgeSeconds = lastPriceEventAgeSeconds
        self.stale = stale
        self.unprotected = unprotected
        self.problem = problem
    }
}
