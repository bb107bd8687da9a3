import TradingEngine
import TradingModel
import Synchronization

/// The account's trade history and wallet, for reconciliation after reports were lost.
extension BinanceExecutionClient {
    /// Executions of `symbol` since `start` (`GET /fapi/v1/userTrades`, weight 5), oldest first,
    /// each with the client id of its order: from the user-data stream's links (a triggered
    /// conditional order's engine order id → the algo's client id), else one
    /// `GET /fapi/v1/order?orderId=` per unknown order (weight 1). An order that cannot be
    /// looked up keeps a nil client id (the runtime books it as an outside fill).
    public func fills(symbol: Symbol, since start: Timestamp) async throws(ExecutionError) -> [VenueFill] {
        let rows = try await userTrades(symbol: symbol, from: start, limit: 1000)
        var clientIDs: [Int64: ClientOrderID] = state.lock.withLock { _ in state.translator.linkedOrders }
        var fills: [VenueFill] = []
        for row in rows.sorted(by: { ($0.time, $0.id) < ($1.time, $1.id) }) {
            if clientIDs[row.orderId] == nil, let id = try? await clientOrderID(ofVenueOrder: row.orderId, symbol: symbol) {
                clientIDs[row.orderId] = id
            }
            let values: (price: Price, quantity: Quantity, realizedPnL: Money, commission: Money)
            let side: OrderSide
            do {
                values = try row.values()
                side = try Field.orderSide(row.side, "side", "userTrades.\(row.id)")
            } catch {
                throw ExecutionError(.configuration, message: error.description)
            }
            fills.append(VenueFill(tradeID: row.id, venueOrderID: String(row.orderId), clientOrderID: clientIDs[row.orderId], symbol: symbol,
                                   side: side, price: values.price, quantity: values.quantity, fee: values.commission,
                                   realizedPnL: values.realizedPnL, liquidity: row.maker ? .maker : .taker, time: Timestamp(milliseconds: row.time)))
        }
        return fills
    }

    /// The client id of the regular order `orderID` (`GET /fapi/v1/order?orderId=`).
    func clientOrderID(ofVenueOrder orderID: Int64, symbol: Symbol) async throws(ExecutionError) -> ClientOrderID? {
        var query = QueryString()
        query.append("symbol", symbol.name)
        query.append("orderId", String(orderID))
        let order = try await rest.call(BinanceOrder.self, .get, "/fapi/v1/order", query, security: .signed)
        return ClientOrderID(order.clientOrderId)
    }

    /// The USDT wallet balance (`GET /fapi/v3/balance`).
    public func walletBalance() async throws(ExecutionError) -> Money? {
        let rows = try await balances()
        guard let usdt = rows.first(where: { $0.asset == "USDT" }) else { return nil }
        return Money(usdt.balance)
    }
}
