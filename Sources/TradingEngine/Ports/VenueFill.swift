import TradingModel

/// One execution as the venue's trade history lists it (Binance `GET /fapi/v1/userTrades`): what
/// the runtime books when the stream's report of it was lost (a user-data gap, a process that died
/// between the fill and its report).
public struct VenueFill: Sendable, Hashable {
    /// The venue's trade id (the stream's `t`): a fill is booked once, whichever way it came.
    public var tradeID: Int64
    /// The venue's id of the order that executed.
    public var venueOrderID: String
    /// Our client id of that order, when the venue or the adapter knows it.
    public var clientOrderID: ClientOrderID?
    public var symbol: Symbol
    public var side: OrderSide
    public var price: Price
    public var quantity: Quantity
    /// Commission paid (positive = paid).
    public var fee: Money
    public var realizedPnL: Money
    public var liquidity: Liquidity
    public var time: Timestamp

    public init(tradeID: Int64, venueOrderID: String, clientOrderID: ClientOrderID?, symbol: Symbol, side: OrderSide, price: Price,
                quantity: Quantity, fee: Money, realizedPnL: Money, liquidity: Liquidity, time: Timestamp) {
        self.tradeID = tradeID
        self.venueOrderID = venueOrderID
        self.clientOrderID = clientOrderID
        self.symbol = symbol
        self.side = side
        self.price = price
        self.quantity = quantity
        self.fee = fee
        self.realizedPnL = realizedPnL
        self.liquidity = liquidity
        self.time = time
    }

    /// The fill to book, under `clientOrderID` (the order's, or one the runtime names).
    public func fill(as clientOrderID: ClientOrderID) -> Fill {
        Fill(clientOrderID: clientOrderID, symbol: symbol, side: side, price: price, quantity: quantity, fee: fee, liquidity: liquidity,
             time: time, venueTradeID: tradeID)
    }
}
