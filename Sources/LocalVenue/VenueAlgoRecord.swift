import TradingModel

/// A conditional order of the Algo Order API (`/fapi/v1/algoOrder`).
struct VenueAlgoRecord: Sendable, Hashable {
    var algoID: Int64
    var clientAlgoID: String
    var orderType: String
    var symbol: Symbol
    var side: OrderSide
    var quantity: Quantity?
    var triggerPrice: Price
    var workingType: String
    var closePosition: Bool
    var reduceOnly: Bool
    /// `NEW`, `CANCELED`, `TRIGGERED`, `FINISHED`, `REJECTED`, `EXPIRED`.
    var status: String = "NEW"
    var actualOrderID: Int64?
    var actualPrice: Price = .zero
    var actualQuantity: Quantity = .zero
    var createTime: Timestamp
    var updateTime: Timestamp
    var triggerTime: Timestamp?

    var isOpen: Bool { status == "NEW" }

    var json: VenueJSON {
        .object([
            ("algoId", .integer(algoID)), ("clientAlgoId", .string(clientAlgoID)), ("algoType", .string("CONDITIONAL")),
            ("orderType", .string(orderType)), ("symbol", .string(symbol.name)), ("side", .string(side.rawValue)),
            ("positionSide", .string("BOTH")), ("timeInForce", .string("GTC")), ("quantity", .value(quantity ?? .zero)),
            ("algoStatus", .string(status)), ("actualOrderId", .string(actualOrderID.map(String.init) ?? "")),
            ("actualPrice", .value(actualPrice)), ("actualType", .string("MARKET")), ("actualQty", .value(actualQuantity)),
            ("triggerPrice", .value(triggerPrice)), ("price", .string("0")), ("icebergQuantity", .string("None")),
            ("tpOrderType", .string("")), ("selfTradePreventionMode", .string("EXPIRE_MAKER")),
            ("workingType", .string(workingType)), ("priceMatch", .string("NONE")), ("closePosition", .bool(closePosition)),
            ("priceProtect", .bool(false)), ("reduceOnly", .bool(reduceOnly)), ("createTime", .time(createTime)),
            ("updateTime", .time(updateTime)), ("triggerTime", .integer(triggerTime?.milliseconds ?? 0)), ("goodTillDate", .integer(0)),
        ])
    }
}
