import TradingModel

/// A regular order as the venue keeps it (`/fapi/v1/order`, and the engine order an algo order
/// creates when it triggers).
struct VenueOrderRecord: Sendable, Hashable {
    var orderID: Int64
    var clientOrderID: String
    var symbol: Symbol
    var side: OrderSide
    /// `MARKET`/`LIMIT` (a triggered stop is a `MARKET` order whose `origType` is the stop type).
    var type: String
    var origType: String
    var price: Price
    var stopPrice: Price
    var origQuantity: Quantity
    var executedQuantity: Quantity = .zero
    /// Σ price × quantity of the fills.
    var cumulativeQuote: Money = .zero
    var status: String = "NEW"
    var timeInForce: String
    var reduceOnly: Bool
    var closePosition: Bool
    var workingType: String
    var time: Timestamp
    var updateTime: Timestamp

    var isOpen: Bool { status == "NEW" || status == "PARTIALLY_FILLED" }

    /// Average fill price (cumulative quote / executed quantity), zero before any fill.
    var averagePrice: Price {
        guard executedQuantity.isPositive else { return .zero }
        return Price(raw: FixedPoint.divide(Int128(cumulativeQuote.raw) * Int128(FixedPoint.scale), by: Int128(executedQuantity.raw), rounding: .nearest))
    }

    var json: VenueJSON {
        .object([
            ("orderId", .integer(orderID)), ("symbol", .string(symbol.name)), ("status", .string(status)),
            ("clientOrderId", .string(clientOrderID)), ("price", .value(price)), ("avgPrice", .value(averagePrice)),
            ("origQty", .value(origQuantity)), ("executedQty", .value(executedQuantity)), ("cumQty", .value(executedQuantity)),
            ("cumQuote", .value(cumulativeQuote)), ("timeInForce", .string(timeInForce)), ("type", .string(type)),
            ("reduceOnly", .bool(reduceOnly)), ("closePosition", .bool(closePosition)), ("side", .string(side.rawValue)),
            ("positionSide", .string("BOTH")), ("stopPrice", .value(stopPrice)), ("workingType", .string(workingType)),
            ("priceProtect", .bool(false)), ("origType", .string(origType)), ("priceMatch", .string("NONE")),
            ("selfTradePreventionMode", .string("EXPIRE_MAKER")), ("goodTillDate", .integer(0)),
            ("time", .time(time)), ("updateTime", .time(updateTime)),
        ])
    }
}
