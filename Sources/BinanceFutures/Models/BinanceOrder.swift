import TradingEngine
import TradingModel

/// A regular order as `POST/GET/DELETE /fapi/v1/order` and `openOrders` return it. Every
/// field but the identity is optional: Binance removed `avgPrice`/`cumQuote` from some
/// responses in 2026 and adds fields over time.
public struct BinanceOrder: Sendable, Hashable, Decodable {
    public var orderId: Int64
    public var clientOrderId: String
    public var symbol: String
    public var status: String
    public var side: String
    public var type: String
    public var origType: String?
    public var positionSide: String?
    public var timeInForce: String?
    public var price: String?
    public var avgPrice: String?
    public var origQty: String?
    public var executedQty: String?
    public var cumQty: String?
    public var cumQuote: String?
    public var stopPrice: String?
    public var workingType: String?
    public var reduceOnly: Bool?
    public var closePosition: Bool?
    public var priceProtect: Bool?
    public var updateTime: Int64?

    public static func parse(_ body: [UInt8], context: String = "order") throws(BinanceDecodingError) -> BinanceOrder {
        try BinanceJSON.decode(body, context: context)
    }

    /// The engine's view of this order.
    public func snapshot() throws(BinanceDecodingError) -> OrderSnapshot {
        let context = "order \(orderId)"
        let request = OrderRequest(
            clientOrderID: try Field.clientOrderID(clientOrderId, "clientOrderId", context),
            symbol: try Field.symbol(symbol, "symbol", context),
            side: try Field.orderSide(side, "side", context),
            type: BinanceOrder.engineType(origType ?? type),
            quantity: try Field.optionalQuantity(origQty, "origQty", context).flatMap { $0.isZero ? nil : $0 },
            price: try Field.optionalPrice(price, "price", context),
            triggerPrice: try Field.optionalPrice(stopPrice, "stopPrice", context),
            triggerSource: workingType == "MARK_PRICE" ? .markPrice : .lastPrice,
            timeInForce: timeInForce.flatMap(TimeInForce.init(rawValue:)) ?? .goodTillCancel,
            reduceOnly: reduceOnly ?? false,
            closePosition: closePosition ?? false)
        return OrderSnapshot(
            request: request,
            status: try BinanceOrder.engineStatus(status, context: context),
            filledQuantity: try Field.optionalQuantity(executedQty, "executedQty", context) ?? .zero,
            averagePrice: try Field.optionalPrice(avgPrice, "avgPrice", context),
            venueOrderID: String(orderId),
            updateTime: try Field.optionalTime(updateTime, "updateTime", context) ?? Timestamp(milliseconds: 0))
    }

    /// Venue order type → engine type. Types the engine never sends (STOP, TAKE_PROFIT,
    /// TRAILING_STOP_MARKET, placed by hand on the venue) map to the nearest conditional type.
    static func engineType(_ text: String) -> OrderType {
        switch text {
        case "MARKET": .market
        case "LIMIT": .limit
        case "TAKE_PROFIT_MARKET", "TAKE_PROFIT": .takeProfitMarket
        default: .stopMarket
        }
    }

    static func engineStatus(_ text: String, context: String) throws(BinanceDecodingError) -> OrderStatus {
        switch text {
        case "NEW": return .new
        case "PARTIALLY_FILLED": return .partiallyFilled
        case "FILLED": return .filled
        case "CANCELED": return .canceled
        case "REJECTED": return .rejected
        case "EXPIRED", "EXPIRED_IN_MATCH": return .expired
        default: throw BinanceDecodingError(context: context, field: "status", reason: "unknown order status \"\(text)\"")
        }
    }
}

/// One element of a `POST /fapi/v1/batchOrders` response: an order, or a per-item error.
/// The docs example carries both an order and `code`/`msg`; a `code` makes it an error.
public enum BinanceBatchOrderResult: Sendable, Hashable, Decodable {
    case order(BinanceOrder)
    case failed(BinanceAPIError)

    public init(from decoder: any Decoder) throws {
        if let error = try? BinanceAPIError(from: decoder) {
            self = .failed(error)
        } else {
            self = .order(try BinanceOrder(from: decoder))
        }
    }

    public static func parse(_ body: [UInt8]) throws(BinanceDecodingError) -> [BinanceBatchOrderResult] {
        try BinanceJSON.decode(body, context: "POST /fapi/v1/batchOrders")
    }
}
