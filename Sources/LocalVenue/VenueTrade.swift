import TradingModel

/// One fill (`/fapi/v1/userTrades`).
struct VenueTrade: Sendable, Hashable {
    var tradeID: Int64
    var orderID: Int64
    var symbol: Symbol
    var side: OrderSide
    var price: Price
    var quantity: Quantity
    var quote: Money
    var realizedPnL: Money
    var commission: Money
    var isMaker: Bool
    var time: Timestamp

    var json: VenueJSON {
        .object([
            ("buyer", .bool(side == .buy)), ("commission", .value(commission)), ("commissionAsset", .string("USDT")),
            ("id", .integer(tradeID)), ("maker", .bool(isMaker)), ("orderId", .integer(orderID)), ("price", .value(price)),
            ("qty", .value(quantity)), ("quoteQty", .value(quote)), ("realizedPnl", .value(realizedPnL)),
            ("side", .string(side.rawValue)), ("positionSide", .string("BOTH")), ("symbol", .string(symbol.name)), ("time", .time(time)),
        ])
    }
}
