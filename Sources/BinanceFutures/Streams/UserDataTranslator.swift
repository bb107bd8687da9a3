import TradingEngine
import TradingModel

/// Turns user-data events into engine `ExecutionEvent`s. A value type with one piece of state:
/// the link from a triggered algo order's engine `orderId` (`ALGO_UPDATE.o.ai`) to the
/// algo's client id, so fills of a triggered stop are reported under the id the engine gave it.
public struct UserDataTranslator: Sendable, Hashable {
    /// Engine order id → client id of the algo order that created it.
    public private(set) var linkedOrders: [Int64: ClientOrderID] = [:]

    public init() {}

    /// The engine events for `event`, plus any problem worth a log line (`notes`).
    public mutating func translate(_ event: BinanceUserDataEvent) -> (events: [ExecutionEvent], notes: [String]) {
        switch event {
        case .orderUpdate(let update): return translate(update)
        case .algoUpdate(let update): return translate(update)
        case .accountUpdate(let update):
            // One-way mode only (hedge mode is refused at start-up): BOTH rows are the positions.
            let events = update.positions.filter { $0.positionSide == "BOTH" }.map {
                ExecutionEvent.positionChanged(symbol: $0.symbol, signedQuantity: $0.signedQuantity, time: update.transactionTime)
            }
            let hedgeRows = update.positions.count - events.count
            return (events, hedgeRows > 0 ? ["ACCOUNT_UPDATE carried \(hedgeRows) hedge-mode position row(s); ignored"] : [])
        case .listenKeyExpired, .marginCall, .ignored:
            return ([], [])
        }
    }

    mutating func translate(_ update: BinanceUserDataEvent.OrderUpdate) -> (events: [ExecutionEvent], notes: [String]) {
        let time = update.tradeTime
        if update.executionType == "CALCULATED" {
            return ([.liquidated(symbol: update.symbol, price: update.lastFilledPrice.isZero ? update.averagePrice : update.lastFilledPrice,
                                 quantity: update.lastFilledQuantity, time: time)], [])
        }
        guard let id = linkedOrders[update.orderID] ?? ClientOrderID(update.clientOrderID) else {
            return ([], ["ORDER_TRADE_UPDATE with unusable client id \"\(update.clientOrderID)\" for order \(update.orderID); dropped"])
        }
        switch update.executionType {
        case "NEW":
            return ([.accepted(id, symbol: update.symbol, venueOrderID: String(update.orderID), time: time)], [])
        case "TRADE":
            var notes: [String] = []
            if let asset = update.commissionAsset, asset != "USDT", !update.commission.isZero {
                notes.append("commission of order \(update.orderID) paid in \(asset), recorded as its amount")
            }
            let fill = Fill(clientOrderID: id, symbol: update.symbol, side: update.side, price: update.lastFilledPrice,
                            quantity: update.lastFilledQuantity, fee: update.commission,
                            liquidity: update.isMaker ? .maker : .taker, time: time)
            return ([.filled(fill)], notes)
        case "CANCELED", "EXPIRED":
            if update.orderStatus == "REJECTED" {
                return ([.rejected(id, symbol: update.symbol, OrderRejection(.other, message: "rejected by the matching engine"), time: time)], [])
            }
            return ([.canceled(id, symbol: update.symbol, time: time)], [])
        case "AMENDMENT":
            return ([], [])
        default:
            return ([], ["ORDER_TRADE_UPDATE execution type \(update.executionType) ignored"])
        }
    }

    mutating func translate(_ update: BinanceUserDataEvent.AlgoUpdate) -> (events: [ExecutionEvent], notes: [String]) {
        guard let id = ClientOrderID(update.clientAlgoID) else {
            return ([], ["ALGO_UPDATE with unusable client algo id \"\(update.clientAlgoID)\"; dropped"])
        }
        if let actual = update.actualOrderID { linkedOrders[actual] = id }
        let time = update.transactionTime
        switch update.status {
        case "NEW":
            return ([.accepted(id, symbol: update.symbol, venueOrderID: "algo:\(update.algoID)", time: time)], [])
        case "TRIGGERED":
            return ([.triggered(id, symbol: update.symbol, time: time)], [])
        case "CANCELED", "EXPIRED":
            return ([.canceled(id, symbol: update.symbol, time: time)], [])
        case "REJECTED":
            let reason = update.failureReason ?? "rejected when triggered"
            let kind: OrderRejection.Reason = reason.lowercased().contains("reduce only") ? .reduceOnlyRejected
                : reason.lowercased().contains("margin") ? .insufficientMargin : .other
            return ([.rejected(id, symbol: update.symbol, OrderRejection(kind, message: reason), time: time)], [])
        default:
            // TRIGGERING and FINISHED: the engine order's ORDER_TRADE_UPDATEs carry the fills.
            return ([], [])
        }
    }
}
