import TradingEngine
import TradingModel

/// Turns user-data events into engine `ExecutionEvent`s. A value type whose state is the link
/// from a triggered algo order's engine `orderId` (`ALGO_UPDATE.o.ai`) to the algo's client id,
/// so fills of a triggered stop are reported under the id the engine gave the stop.
///
/// Updates of an order that came from a conditional type but is not linked yet (its
/// `ORDER_TRADE_UPDATE` overtook the `ALGO_UPDATE`) are held until the link arrives, so the
/// stop's fill is not reported under a foreign id; `releaseUnlinked()` flushes them (resync).
public struct UserDataTranslator: Sendable, Hashable {
    /// Engine order id → client id of the algo order that created it.
    public private(set) var linkedOrders: [Int64: ClientOrderID] = [:]
    /// Order updates waiting for their `ALGO_UPDATE` link, by engine order id, in arrival order.
    public private(set) var heldUpdates: [Int64: [BinanceUserDataEvent.OrderUpdate]] = [:]

    public init() {}

    static let conditionalTypes: Set<String> = ["STOP_MARKET", "TAKE_PROFIT_MARKET", "TRAILING_STOP_MARKET", "STOP", "TAKE_PROFIT"]

    /// Emits every held update under its own client id (call when resyncing from REST).
    public mutating func releaseUnlinked() -> (events: [ExecutionEvent], notes: [String]) {
        let held = heldUpdates.keys.sorted().flatMap { heldUpdates[$0] ?? [] }
        heldUpdates = [:]
        var events: [ExecutionEvent] = []
        var notes: [String] = []
        for update in held {
            let result = translate(update, allowHold: false)
            events += result.events
            notes += result.notes
        }
        return (events, notes)
    }

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
        case .listenKeyExpired, .marginCall, .accountConfigUpdate, .ignored, .unparseable:
            return ([], [])
        }
    }

    mutating func translate(_ update: BinanceUserDataEvent.OrderUpdate, allowHold: Bool = true) -> (events: [ExecutionEvent], notes: [String]) {
        let time = update.tradeTime
        if allowHold, linkedOrders[update.orderID] == nil, UserDataTranslator.conditionalTypes.contains(update.orderType),
           update.executionType != "CALCULATED" {
            heldUpdates[update.orderID, default: []].append(update)
            return ([], ["ORDER_TRADE_UPDATE of conditional order \(update.orderID) held until its ALGO_UPDATE link"])
        }
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
                            liquidity: update.isMaker ? .maker : .taker, time: time,
                            venueTradeID: update.tradeID > 0 ? update.tradeID : nil)
            return ([.filled(fill)], notes)
        case "CANCELED", "EXPIRED", "REJECTED":
            if update.orderStatus == "REJECTED" || update.executionType == "REJECTED" {
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
        var released: [ExecutionEvent] = []
        var releasedNotes: [String] = []
        if let actual = update.actualOrderID {
            linkedOrders[actual] = id
            for held in heldUpdates.removeValue(forKey: actual) ?? [] {
                let result = translate(held, allowHold: false)
                released += result.events
                releasedNotes += result.notes
            }
        }
        let own = translateStatus(update, id: id)
        // The trigger comes before the fills it caused.
        return (own.events + released, own.notes + releasedNotes)
    }

    func translateStatus(_ update: BinanceUserDataEvent.AlgoUpdate, id: ClientOrderID) -> (events: [ExecutionEvent], notes: [String]) {
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
