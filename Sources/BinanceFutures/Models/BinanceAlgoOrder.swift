import TradingEngine
import TradingModel

/// A conditional order of the Algo Order API (`/fapi/v1/algoOrder`, `openAlgoOrders`).
/// `actualOrderId` links it to the regular order created when it triggered.
public struct BinanceAlgoOrder: Sendable, Hashable, Decodable {
    public var algoId: Int64
    public var clientAlgoId: String
    public var algoType: String?
    /// `STOP_MARKET`, `TAKE_PROFIT_MARKET`, `STOP`, `TAKE_PROFIT`, `TRAILING_STOP_MARKET`.
    public var orderType: String
    public var symbol: String
    public var side: String
    public var positionSide: String?
    public var timeInForce: String?
    public var quantity: String?
    /// `NEW`, `CANCELED`, `TRIGGERING`, `TRIGGERED`, `FINISHED`, `REJECTED`, `EXPIRED`.
    public var algoStatus: String
    public var triggerPrice: String?
    public var price: String?
    public var workingType: String?
    public var closePosition: Bool?
    public var priceProtect: Bool?
    public var reduceOnly: Bool?
    public var activatePrice: String?
    public var callbackRate: String?
    public var actualOrderId: FlexibleString?
    public var actualPrice: String?
    public var actualQty: String?
    public var createTime: Int64?
    public var updateTime: Int64?
    public var triggerTime: Int64?

    public static func parse(_ body: [UInt8], context: String = "algoOrder") throws(BinanceDecodingError) -> BinanceAlgoOrder {
        try BinanceJSON.decode(body, context: context)
    }

    /// The regular order id once triggered (`actualOrderId`), nil before.
    public var linkedOrderID: String? {
        guard let text = actualOrderId?.value, !text.isEmpty, text != "0" else { return nil }
        return text
    }

    /// The engine's view of this conditional order.
    public func snapshot() throws(BinanceDecodingError) -> OrderSnapshot {
        let context = "algoOrder \(algoId)"
        let quantity: Quantity? = try Field.optionalQuantity(quantity, "quantity", context).flatMap { $0.isZero ? nil : $0 }
        let request = OrderRequest(
            clientOrderID: try Field.clientOrderID(clientAlgoId, "clientAlgoId", context),
            symbol: try Field.symbol(symbol, "symbol", context),
            side: try Field.orderSide(side, "side", context),
            type: BinanceOrder.engineType(orderType),
            quantity: (closePosition ?? false) ? nil : quantity,
            price: try Field.optionalPrice(price, "price", context),
            triggerPrice: try Field.optionalPrice(triggerPrice, "triggerPrice", context),
            triggerSource: workingType == "MARK_PRICE" ? .markPrice : .lastPrice,
            timeInForce: timeInForce.flatMap(TimeInForce.init(rawValue:)) ?? .goodTillCancel,
            reduceOnly: reduceOnly ?? false,
            closePosition: closePosition ?? false)
        let filled: Quantity = try algoStatus == "FINISHED" ? (Field.optionalQuantity(actualQty, "actualQty", context) ?? .zero) : .zero
        return OrderSnapshot(
            request: request,
            status: try BinanceAlgoOrder.engineStatus(algoStatus, filled: filled, quantity: quantity, context: context),
            filledQuantity: filled,
            averagePrice: try Field.optionalPrice(actualPrice, "actualPrice", context),
            venueOrderID: "algo:\(algoId)",
            updateTime: try Field.optionalTime(updateTime ?? createTime, "updateTime", context) ?? Timestamp(milliseconds: 0))
    }

    /// Algo status → order status. A triggered order is still working (its engine order
    /// reports fills); `FINISHED` is filled when the engine order executed, else cancelled.
    static func engineStatus(_ text: String, filled: Quantity, quantity: Quantity?, context: String) throws(BinanceDecodingError) -> OrderStatus {
        switch text {
        case "NEW", "TRIGGERING", "TRIGGERED": return .new
        case "CANCELED": return .canceled
        case "EXPIRED": return .expired
        case "REJECTED": return .rejected
        case "FINISHED":
            if filled.isPositive, quantity.map({ filled >= $0 }) ?? true { return .filled }
            return filled.isPositive ? .partiallyFilled : .canceled
        default:
            throw BinanceDecodingError(context: context, field: "algoStatus", reason: "unknown algo status \"\(text)\"")
        }
    }
}

/// `DELETE /fapi/v1/algoOrder` → `{"algoId","clientAlgoId","code":"200","msg":"success"}`.
public struct BinanceAlgoCancelResult: Sendable, Hashable, Decodable {
    public var algoId: Int64
    public var clientAlgoId: String
    public var code: FlexibleString
    public var msg: String

    public var succeeded: Bool { code.value == "200" }
}
