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

/// One income row (`/fapi/v1/income`): `REALIZED_PNL`, `COMMISSION`, `FUNDING_FEE`.
struct VenueIncome: Sendable, Hashable {
    var transactionID: Int64
    var symbol: Symbol
    var type: String
    /// Signed: negative = paid.
    var amount: Money
    var tradeID: Int64?
    var time: Timestamp

    var json: VenueJSON {
        .object([
            ("symbol", .string(symbol.name)), ("incomeType", .string(type)), ("income", .value(amount)), ("asset", .string("USDT")),
            ("info", .string(type)), ("time", .time(time)), ("tranId", .integer(transactionID)),
            ("tradeId", .string(tradeID.map(String.init) ?? "")),
        ])
    }
}

/// A listen key and when it expires (60 minutes after creation or the last keep-alive).
struct VenueListenKey: Sendable, Hashable {
    var key: String
    var apiKey: String
    var expiresAt: Timestamp
}
