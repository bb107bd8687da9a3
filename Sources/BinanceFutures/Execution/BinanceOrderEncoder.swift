import TradingEngine
import TradingModel

/// Where an order goes. Conditional types never go to `/fapi/v1/order`: since 2025-12-09 they
/// fail there with `-4120`; they are Algo Orders.
public enum BinanceOrderRoute: Sendable, Hashable {
    /// `POST /fapi/v1/order` (MARKET, LIMIT).
    case regular
    /// `POST /fapi/v1/algoOrder` (STOP_MARKET, TAKE_PROFIT_MARKET).
    case algo

    public var path: String { self == .regular ? "/fapi/v1/order" : "/fapi/v1/algoOrder" }
}

/// Builds the request parameters for an order, formatting prices and quantities with exactly
/// the instrument's tick/step decimals. Values off the grid are refused before anything is sent
/// (`rejected(.precision)`): rounding is the engine's decision, not the adapter's.
public enum BinanceOrderEncoder {
    public static func route(for type: OrderType) -> BinanceOrderRoute { type.isConditional ? .algo : .regular }

    public static func encode(_ order: OrderRequest, instrument: Instrument) throws(ExecutionError) -> (route: BinanceOrderRoute, parameters: QueryString) {
        guard order.symbol == instrument.symbol else {
            throw ExecutionError(.configuration, message: "order \(order.clientOrderID) for \(order.symbol) encoded with \(instrument.symbol) filters")
        }
        var query = QueryString()
        query.append("symbol", order.symbol.name)
        query.append("side", order.side.rawValue)
        let route = route(for: order.type)
        switch route {
        case .regular:
            query.append("type", order.type.rawValue)
            let market = order.type == .market
            guard let quantity = order.quantity else { throw invalid(order, "a \(order.type.rawValue) order needs a quantity") }
            if order.closePosition { throw invalid(order, "closePosition is only for STOP_MARKET/TAKE_PROFIT_MARKET") }
            if !market {
                guard let price = order.price else { throw invalid(order, "a LIMIT order needs a price") }
                query.append("timeInForce", order.timeInForce.rawValue)
                query.append("quantity", try format(quantity, instrument: instrument, market: false, order: order))
                query.append("price", try format(price, instrument: instrument, order: order))
            } else {
                query.append("quantity", try format(quantity, instrument: instrument, market: true, order: order))
            }
            if order.reduceOnly { query.append("reduceOnly", "true") }
            query.append("newClientOrderId", order.clientOrderID.value)
            query.append("newOrderRespType", "RESULT")
        case .algo:
            query.append("algoType", "CONDITIONAL")
            query.append("type", order.type.rawValue)
            guard let trigger = order.triggerPrice else { throw invalid(order, "a conditional order needs a trigger price") }
            query.append("triggerPrice", try format(trigger, instrument: instrument, order: order))
            query.append("workingType", order.triggerSource.rawValue)
            if order.closePosition {
                if order.quantity != nil { throw invalid(order, "closePosition cannot carry a quantity") }
                query.append("closePosition", "true")
            } else {
                guard let quantity = order.quantity else { throw invalid(order, "a conditional order needs a quantity or closePosition") }
                query.append("quantity", try format(quantity, instrument: instrument, market: true, order: order))
                if order.reduceOnly { query.append("reduceOnly", "true") }
            }
            query.append("clientAlgoId", order.clientOrderID.value)
        }
        return (route, query)
    }

    static func format(_ quantity: Quantity, instrument: Instrument, market: Bool, order: OrderRequest) throws(ExecutionError) -> String {
        let step = market ? instrument.marketStepSize : instrument.stepSize
        guard quantity.isPositive, quantity.isMultiple(of: step) else {
            throw ExecutionError(.rejected(OrderRejection(.precision, message: "quantity \(quantity) is not a positive multiple of the step \(step)")),
                                 message: "order \(order.clientOrderID) not sent")
        }
        return quantity.formatted(decimals: FixedPoint.decimalPlaces(ofStep: step.raw))
    }

    static func format(_ price: Price, instrument: Instrument, order: OrderRequest) throws(ExecutionError) -> String {
        guard price.isPositive, (price - instrument.minPrice).isMultiple(of: instrument.tickSize) else {
            throw ExecutionError(.rejected(OrderRejection(.precision, message: "price \(price) is not on the tick grid \(instrument.tickSize)")),
                                 message: "order \(order.clientOrderID) not sent")
        }
        return price.formatted(decimals: instrument.priceDecimals)
    }

    static func invalid(_ order: OrderRequest, _ reason: String) -> ExecutionError {
        ExecutionError(.rejected(OrderRejection(.other, message: reason)), message: "order \(order.clientOrderID) not sent: \(reason)")
    }
}
