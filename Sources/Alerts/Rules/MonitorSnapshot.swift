import TradingEngine
import TradingModel

/// What the alert rules see of a trading session after one runtime input: the open positions
/// with their price and exit levels, the account, the risk state and the streams. Built by the
/// composition root from the runtime's state; a value, so the rules stay pure.
public struct MonitorSnapshot: Sendable, Hashable {
    /// The runtime's clock when the snapshot was taken.
    public var time: Timestamp
    public var positions: [MonitoredPosition]
    /// Closed trades of the session, in closing order.
    public var trades: [ClosedTrade]
    /// The runtime's wallet (realised PnL included); nil when unknown.
    public var walletBalance: Money?
    /// The validator's risk state (ACTIVE/REDUCING/HALTED); nil without the validator.
    public var riskState: RiskState?
    /// The detail of a manual halt in force; nil when none.
    public var manualHalt: String?
    /// Why the runtime stopped taking entries (configuration or store failure); nil when trading.
    public var haltReason: String?
    public var venueStreamInSync: Bool
    public var marketStreamInSync: Bool
    /// Symbols the session trades.
    public var symbols: [Symbol]
    /// When a market event of each symbol was last received (receive time).
    public var lastMarketEventAt: [Symbol: Timestamp]

    public init(time: Timestamp, positions: [MonitoredPosition], trades: [ClosedTrade] = [], walletBalance: Money? = nil,
                riskState: RiskState? = nil, manualHalt: String? = nil, haltReason: String? = nil, venueStreamInSync: Bool = true,
                marketStreamInSync: Bool = true, symbols: [Symbol] = [], lastMarketEventAt: [Symbol: Timestamp] = [:]) {
        self.time = time
        self.positions = positions
        self.trades = trades
        self.walletBalance = walletBalance
        self.riskState = riskState
        self.manualHalt = manualHalt
        self.haltReason = haltReason
        self.venueStreamInSync = venueStreamInSync
        self.marketStreamInSync = marketStreamInSync
        self.symbols = symbols
        self.lastMarketEventAt = lastMarketEventAt
    }

    /// Unrealised PnL of every position with a price.
    public var unrealizedPnL: Money {
        positions.reduce(Money.zero) { sum, item in item.price.map { sum + item.position.unrealizedPnL(at: $0) } ?? sum }
    }

    /// Wallet plus unrealised PnL; nil when the wallet is unknown.
    public var equity: Money? { walletBalance.map { $0 + unrealizedPnL } }

    /// Net PnL of trades closed on the UTC day of `time`.
    public var realizedToday: Money {
        let day = time.utcDay
        return trades.reduce(Money.zero) { $1.exitTime.utcDay == day ? $0 + $1.netPnL : $0 }
    }

    /// Net PnL of every trade closed in the session.
    public var realizedSinceStart: Money { trades.reduce(Money.zero) { $0 + $1.netPnL } }
}

/// One open position as the rules see it.
public struct MonitoredPosition: Sendable, Hashable {
    public var position: Position
    /// The latest price the exit owner works on (mark or last trade); nil before any.
    public var price: Price?
    /// When that price was received.
    public var priceTime: Timestamp?
    /// The owner's stop; nil without an owner.
    public var stopPrice: Price?
    public var targetPrices: [Price]
    /// Trigger of the resting exchange-side backstop; nil when none rests.
    public var backstopPrice: Price?
    /// The owner's name; nil when no owner holds the position.
    public var executor: String?
    /// True when the owner reports a live status (levels, backstop, heartbeat): the exit engine.
    /// The reference bracket reports none, and backstop and silence rules skip it.
    public var reportsStatus: Bool
    /// True when the owner has a close of the whole position under way.
    public var closing: Bool
    /// When the owner last processed a price event.
    public var lastPriceEventAt: Timestamp?

    public init(position: Position, price: Price?, priceTime: Timestamp?, stopPrice: Price?, targetPrices: [Price] = [],
                backstopPrice: Price?, executor: String?, reportsStatus: Bool, closing: Bool = false, lastPriceEventAt: Timestamp? = nil) {
        self.position = position
        self.price = price
        self.priceTime = priceTime
        self.stopPrice = stopPrice
        self.targetPrices = targetPrices
        self.backstopPrice = backstopPrice
        self.executor = executor
        self.reportsStatus = reportsStatus
        self.closing = closing
        self.lastPriceEventAt = lastPriceEventAt
    }

    /// Price move and ROE at the latest price (ROE over the isolated margin); nil before any price.
    public func returns(equity: Money?) -> PositionReturns? {
        price.map { position.returns(at: $0, equity: equity) }
    }

    /// True when `price` is beyond the stop against the position (at or past it).
    public var isBeyondStop: Bool {
        guard let price, let stop = stopPrice else { return false }
        return position.side == .long ? price <= stop : price >= stop
    }
}
