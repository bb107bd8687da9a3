/// A closed trade with its accounting.
public struct TradeRow: Sendable, Hashable, Codable {
    public var runID: Int64
    public var symbol: String
    public var side: String
    public var quantity: String
    public var entryTime: String
    public var entryPrice: String
    public var exitTime: String
    public var exitPrice: String
    /// `stop`, `target`, `manual`, `watchdog`, …
    public var exitReason: String
    /// Price change from entry in the trade's favour, percent.
    public var priceMovePct: Double
    public var fees: String
    public var funding: String
    public var netPnl: String
    public var leverage: Int

    public init(runID: Int64, symbol: String, side: String, quantity: String, entryTime: String, entryPrice: String, exitTime: String,
                exitPrice: String, exitReason: String, priceMovePct: Double, fees: String, funding: String, netPnl: String, leverage: Int) {
        self.runID = runID
        self.symbol = symbol
        self.side = side
        self.quantity = quantity
        self.entryTime = entryTime
        self.entryPrice = entryPrice
        self.exitTime = exitTime
        self.exitPrice = exitPrice
        self.exitReason = exitReason
        self.priceMovePct = priceMovePct
        self.fees = fees
        self.funding = funding
        self.netPnl = netPnl
        self.leverage = leverage
    }
}
