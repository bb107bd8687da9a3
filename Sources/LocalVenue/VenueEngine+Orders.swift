import TradingEngine
import TradingModel
import Backtest

/// `/fapi/v1/order`, `/fapi/v1/openOrders`, `/fapi/v1/algoOrder`, `/fapi/v1/openAlgoOrders`.
extension VenueEngine {
    static let conditionalTypes: Set<String> = ["STOP", "STOP_MARKET", "TAKE_PROFIT", "TAKE_PROFIT_MARKET", "TRAILING_STOP_MARKET"]

    mutating func newOrder(_ request: VenueRequest) throws(VenueError) -> VenueJSON {
        let (symbol, index) = try symbolIndex(request)
        let side = try VenueEngine.side(request)
        guard let typeText = request["type"] else { throw .missing("type") }
        if VenueEngine.conditionalTypes.contains(typeText) {
            throw VenueError(code: -4120, message: "Order type not supported for this endpoint. Please use the Algo Order API endpoints instead.")
        }
        guard let type = OrderType(rawValue: typeText), type == .market || type == .limit else {
            throw VenueError(code: -1116, message: "Invalid orderType.")
        }
        guard let quantity: Quantity = try VenueEngine.decimal(request, "quantity") else { throw .missing("quantity") }
        let price: Price? = try VenueEngine.decimal(request, "price")
        var timeInForce = TimeInForce.goodTillCancel
        if type == .limit {
            guard price != nil else { throw .missing("price") }
            guard let text = request["timeInForce"] else { throw .missing("timeInForce") }
            guard let value = TimeInForce(rawValue: text) else { throw VenueError(code: -1115, message: "Invalid timeInForce.") }
            timeInForce = value
        } else if price != nil {
            throw VenueError(code: -1106, message: "Parameter 'price' sent when not required.")
        }
        let reduceOnly = try VenueEngine.flag(request, "reduceOnly")
        try checkListing(symbol: symbol, price: price, trigger: nil, quantity: quantity, market: type == .market, protective: reduceOnly)
        let id = try VenueEngine.clientID(request["newClientOrderId"], generated: "venue-\(nextOrderID)")
        try refuseDuplicate(id)
        let orderID = nextOrderID
        nextOrderID += 1
        let orderRequest = OrderRequest(clientOrderID: id, symbol: symbol, side: side, type: type, quantity: quantity, price: price,
                                        timeInForce: timeInForce, reduceOnly: reduceOnly)
        orders[orderID] = VenueOrderRecord(
            orderID: orderID, clientOrderID: id.value, symbol: symbol, side: side, type: type.rawValue, origType: type.rawValue,
            price: price ?? .zero, stopPrice: .zero, origQuantity: quantity, timeInForce: timeInForce.rawValue,
            reduceOnly: reduceOnly, closePosition: false, workingType: "CONTRACT_PRICE", time: now, updateTime: now)
        let previousOwner = owners[id]
        owners[id] = .regular(orderID)
        if let rejection = submit(orderRequest, index: index) {
            orders[orderID] = nil
            owners[id] = previousOwner
            throw VenueError(code: rejection.code ?? -2010, message: rejection.message)
        }
        orderIDsByClientID[id.value] = orderID
        return orders[orderID]!.json
    }

    /// Hands an order to the simulated exchange and records what happened; the rejection if refused.
    mutating func submit(_ orderRequest: OrderRequest, index: Int) -> OrderRejection? {
        let before = exchange.ledger.slots
        var events: [ExecutionEvent] = []
        exchange.submit(orderRequest, symbolIndex: index, time: now, into: &events)
        for event in events {
            if case .rejected(let id, _, let rejection, _) = event, id == orderRequest.clientOrderID { return rejection }
        }
        if exchange.needsReprocess { exchange.reprocess(symbolIndex: index, into: &events) }
        record(events, positionsBefore: before)
        return nil
    }

    func refuseDuplicate(_ id: ClientOrderID) throws(VenueError) {
        let open: Bool
        switch owners[id] {
        case .regular(let orderID)?: open = orders[orderID]?.isOpen ?? false
        case .algo(let algoID)?: open = algos[algoID]?.isOpen ?? false
        case nil: open = false
        }
        if open { throw VenueError(code: -4116, message: "ClientOrderId is duplicated.") }
    }

    func findOrder(_ request: VenueRequest) throws(VenueError) -> VenueOrderRecord {
        let (symbol, _) = try symbolIndex(request)
        var orderID: Int64?
        if let text = request["orderId"] {
            orderID = Int64(text)
        } else if let client = request["origClientOrderId"] {
            orderID = orderIDsByClientID[client]
        } else {
            throw VenueError(code: -1102, message: "Either orderId or origClientOrderId must be sent.")
        }
        guard let orderID, let record = orders[orderID], record.symbol == symbol else { throw .noSuchOrder }
        return record
    }

    mutating func cancelOrder(_ request: VenueRequest) throws(VenueError) -> VenueJSON {
        let existing: VenueOrderRecord
        do {
            existing = try findOrder(request)
        } catch where error.code == -2013 {
            throw .unknownOrder
        }
        guard existing.isOpen, let id = ClientOrderID(existing.clientOrderID) else { throw .unknownOrder }
        var events: [ExecutionEvent] = []
        guard exchange.cancel(id, time: now, into: &events) else { throw .unknownOrder }
        record(events, positionsBefore: exchange.ledger.slots)
        return orders[existing.orderID]!.json
    }

    func openOrders(_ request: VenueRequest) throws(VenueError) -> VenueJSON {
        var symbol: Symbol?
        if request["symbol"] != nil { symbol = try symbolIndex(request).0 }
        let open = orders.values.filter { $0.isOpen && (symbol == nil || $0.symbol == symbol) }.sorted { $0.orderID < $1.orderID }
        return .array(open.map(\.json))
    }

    // MARK: Algo orders

    mutating func newAlgoOrder(_ request: VenueRequest) throws(VenueError) -> VenueJSON {
        guard let algoType = request["algoType"] else { throw .missing("algoType") }
        guard algoType == "CONDITIONAL" else { throw VenueError(code: -1116, message: "Invalid algoType.") }
        let (symbol, index) = try symbolIndex(request)
        let side = try VenueEngine.side(request)
        guard let typeText = request["type"] else { throw .missing("type") }
        guard let type = OrderType(rawValue: typeText), type.isConditional else {
            throw VenueError(code: -1116, message: "Invalid orderType (the local venue supports STOP_MARKET and TAKE_PROFIT_MARKET).")
        }
        guard let trigger: Price = try VenueEngine.decimal(request, "triggerPrice") else { throw .missing("triggerPrice") }
        let workingType = request["workingType"] ?? "CONTRACT_PRICE"
        guard workingType == "CONTRACT_PRICE" || workingType == "MARK_PRICE" else { throw .malformed("workingType") }
        let closePosition = try VenueEngine.flag(request, "closePosition")
        let reduceOnly = try VenueEngine.flag(request, "reduceOnly")
        let quantity: Quantity? = try VenueEngine.decimal(request, "quantity")
        if closePosition {
            if quantity != nil { throw VenueError(code: -1106, message: "Parameter 'quantity' sent when not required.") }
            if reduceOnly { throw VenueError(code: -1106, message: "Parameter 'reduceOnly' sent when not required.") }
        } else if quantity == nil {
            throw .missing("quantity")
        }
        try checkListing(symbol: symbol, price: nil, trigger: trigger, quantity: quantity, market: true, protective: reduceOnly || closePosition)
        let id = try VenueEngine.clientID(request["clientAlgoId"], generated: "venue-algo-\(nextAlgoID)")
        try refuseDuplicate(id)
        let algoID = nextAlgoID
        nextAlgoID += 1
        algos[algoID] = VenueAlgoRecord(
            algoID: algoID, clientAlgoID: id.value, orderType: type.rawValue, symbol: symbol, side: side, quantity: quantity,
            triggerPrice: trigger, workingType: workingType, closePosition: closePosition, reduceOnly: reduceOnly,
            createTime: now, updateTime: now)
        let previousOwner = owners[id]
        owners[id] = .algo(algoID)
        let orderRequest = OrderRequest(clientOrderID: id, symbol: symbol, side: side, type: type, quantity: quantity,
                                        triggerPrice: trigger, triggerSource: workingType == "MARK_PRICE" ? .markPrice : .lastPrice,
                                        reduceOnly: reduceOnly, closePosition: closePosition)
        if let rejection = submit(orderRequest, index: index) {
            algos[algoID] = nil
            owners[id] = previousOwner
            throw VenueError(code: rejection.code ?? -2010, message: rejection.message)
        }
        algoIDsByClientID[id.value] = algoID
        return algos[algoID]!.json
    }

    func findAlgoOrder(_ request: VenueRequest, notFound: VenueError) throws(VenueError) -> VenueAlgoRecord {
        var algoID: Int64?
        if let text = request["algoId"] {
            algoID = Int64(text)
        } else if let client = request["clientAlgoId"] {
            algoID = algoIDsByClientID[client]
        } else {
            throw VenueError(code: -1102, message: "Either algoId or clientAlgoId must be sent.")
        }
        guard let algoID, let record = algos[algoID] else { throw notFound }
        return record
    }

    mutating func cancelAlgoOrder(_ request: VenueRequest) throws(VenueError) -> VenueJSON {
        let existing = try findAlgoOrder(request, notFound: .unknownOrder)
        guard existing.isOpen, let id = ClientOrderID(existing.clientAlgoID) else { throw .unknownOrder }
        var events: [ExecutionEvent] = []
        guard exchange.cancel(id, time: now, into: &events) else { throw .unknownOrder }
        record(events, positionsBefore: exchange.ledger.slots)
        return .object([("algoId", .integer(existing.algoID)), ("clientAlgoId", .string(existing.clientAlgoID)),
                        ("code", .string("200")), ("msg", .string("success"))])
    }

    func openAlgoOrders(_ request: VenueRequest) throws(VenueError) -> VenueJSON {
        var symbol: Symbol?
        if request["symbol"] != nil { symbol = try symbolIndex(request).0 }
        let open = algos.values.filter { $0.isOpen && (symbol == nil || $0.symbol == symbol) }.sorted { $0.algoID < $1.algoID }
        return .array(open.map(\.json))
    }
}
