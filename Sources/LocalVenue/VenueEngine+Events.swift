import TradingEngine
import TradingModel
import Backtest

/// Turns the simulated exchange's events into Binance records and user-data messages
/// (`ORDER_TRADE_UPDATE`, `ALGO_UPDATE`, `ACCOUNT_UPDATE`), in Binance's order: for a
/// triggered stop `ALGO_UPDATE TRIGGERED` (with `ai`), the engine order's `NEW` and `TRADE`,
/// then `ALGO_UPDATE FINISHED`.
extension VenueEngine {
    /// - Parameter positionsBefore: the ledger before the call, for each fill's realized PnL.
    mutating func record(_ events: [ExecutionEvent], positionsBefore: [PositionLedger?]) {
        for event in events {
            switch event {
            case .accepted(let id, _, _, _):
                switch owners[id] {
                case .regular(let orderID)?:
                    if let order = orders[orderID] { userOutbox.append(orderUpdate(order, execution: "NEW").text) }
                case .algo(let algoID)?:
                    if let algo = algos[algoID] { userOutbox.append(algoUpdate(algo).text) }
                case nil: break
                }
            case .filled(let fill):
                recordFill(fill, positionsBefore: positionsBefore)
            case .canceled(let id, _, _):
                let expired = exchange.history[id]?.status == .expired
                switch owners[id] {
                case .regular(let orderID)?:
                    guard var order = orders[orderID], order.isOpen else { break }
                    order.status = expired ? "EXPIRED" : "CANCELED"
                    order.updateTime = now
                    orders[orderID] = order
                    userOutbox.append(orderUpdate(order, execution: order.status).text)
                case .algo(let algoID)?:
                    guard var algo = algos[algoID], algo.isOpen else { break }
                    algo.status = expired ? "EXPIRED" : "CANCELED"
                    algo.updateTime = now
                    algos[algoID] = algo
                    userOutbox.append(algoUpdate(algo).text)
                case nil: break
                }
            case .liquidated(let symbol, _, _, _):
                userOutbox.append(accountUpdate(symbol: symbol, reason: "ORDER").text)
            case .rejected, .triggered, .positionChanged, .fundingPaid:
                break
            }
        }
    }

    mutating func recordFill(_ fill: Fill, positionsBefore: [PositionLedger?]) {
        guard let owner = owners[fill.clientOrderID], let index = index(of: fill.symbol) else { return }
        let groupStart = userOutbox.count
        defer { placeAccountUpdate(groupStart: groupStart) }
        let orderID: Int64
        switch owner {
        case .regular(let id):
            orderID = id
        case .algo(let algoID):
            guard var algo = algos[algoID] else { return }
            orderID = nextOrderID
            nextOrderID += 1
            algo.status = "TRIGGERED"
            algo.actualOrderID = orderID
            algo.triggerTime = now
            algo.updateTime = now
            algos[algoID] = algo
            orders[orderID] = VenueOrderRecord(
                orderID: orderID, clientOrderID: algo.clientAlgoID, symbol: algo.symbol, side: algo.side, type: "MARKET",
                origType: algo.orderType, price: .zero, stopPrice: algo.triggerPrice, origQuantity: fill.quantity,
                timeInForce: "GTC", reduceOnly: algo.reduceOnly, closePosition: algo.closePosition,
                workingType: algo.workingType, time: now, updateTime: now)
            userOutbox.append(algoUpdate(algo).text)
            userOutbox.append(orderUpdate(orders[orderID]!, execution: "NEW").text)
        }
        let realized = VenueEngine.realizedPnL(fill, position: positionsBefore.indices.contains(index) ? positionsBefore[index] : nil)
        let parts = splitFill(fill, realized: realized, instrument: exchange.instruments[index])
        for (number, (quantity, fee, pnl)) in parts.enumerated() {
            guard var order = orders[orderID] else { return }
            let quote = FastFixedPoint.notional(fill.price, quantity, .nearest)
            order.executedQuantity += quantity
            order.cumulativeQuote += quote
            // The simulated exchange fills an order whole (a reduce-only one up to the position):
            // the last reported part completes it.
            order.status = number == parts.count - 1 ? "FILLED" : "PARTIALLY_FILLED"
            order.updateTime = now
            orders[orderID] = order
            let tradeID = nextTradeID
            nextTradeID += 1
            trades.append(VenueTrade(tradeID: tradeID, orderID: orderID, symbol: fill.symbol, side: fill.side, price: fill.price,
                                     quantity: quantity, quote: quote, realizedPnL: pnl, commission: fee,
                                     isMaker: fill.liquidity == .maker, time: now))
            addIncome(symbol: fill.symbol, type: "COMMISSION", amount: .zero - fee, tradeID: tradeID)
            if !pnl.isZero { addIncome(symbol: fill.symbol, type: "REALIZED_PNL", amount: pnl, tradeID: tradeID) }
            userOutbox.append(orderUpdate(order, execution: "TRADE", last: (quantity, fill.price, fee, tradeID, pnl,
                                                                           fill.liquidity == .maker)).text)
        }
        if case .algo(let algoID) = owner, var algo = algos[algoID], let order = orders[orderID] {
            algo.status = "FINISHED"
            algo.actualPrice = order.averagePrice
            algo.actualQuantity = order.executedQuantity
            algo.updateTime = now
            algos[algoID] = algo
            userOutbox.append(algoUpdate(algo).text)
        }
        userOutbox.append(accountUpdate(symbol: fill.symbol, reason: "ORDER").text)
    }

    /// Moves the fill's `ACCOUNT_UPDATE` (the last message of the group starting at `groupStart`)
    /// where `userDataOrder` says.
    mutating func placeAccountUpdate(groupStart: Int) {
        guard userDataOrder != .accountUpdateLast, userOutbox.count - groupStart >= 2 else { return }
        let account = userOutbox.removeLast()
        let position = userDataOrder == .accountUpdateFirst ? groupStart : groupStart + 1
        userOutbox.insert(account, at: position)
    }

    mutating func addIncome(symbol: Symbol, type: String, amount: Money, tradeID: Int64?) {
        income.append(VenueIncome(transactionID: nextTransactionID, symbol: symbol, type: type, amount: amount, tradeID: tradeID, time: now))
        nextTransactionID += 1
    }

    /// PnL of the part of `fill` that closes `position`: (fill − entry) × closed quantity × side sign.
    static func realizedPnL(_ fill: Fill, position: PositionLedger?) -> Money {
        guard let position, fill.side == position.side.exitOrderSide else { return .zero }
        let closed = min(fill.quantity, position.quantity)
        let move = (fill.price.raw - position.entryPrice.raw) * position.side.sign
        return Money(raw: FixedPoint.multiplyDivide(move, closed.raw, FixedPoint.scale, rounding: .nearest))
    }

    /// The fill as reported: whole, or in `partialFillParts` step-sized parts (fault), each with
    /// its share of fee and PnL (the last part takes the remainders). Resets the fault.
    mutating func splitFill(_ fill: Fill, realized: Money, instrument: Instrument) -> [(Quantity, Money, Money)] {
        let parts = Int64(max(1, partialFillParts))
        partialFillParts = 1
        let step = instrument.marketStepSize.raw
        let part = fill.quantity.raw / parts / step * step
        guard parts > 1, part > 0 else { return [(fill.quantity, fill.fee, realized)] }
        var result: [(Quantity, Money, Money)] = []
        var feeLeft = fill.fee.raw
        var pnlLeft = realized.raw
        for number in 1...parts {
            let quantity = number == parts ? fill.quantity.raw - part * (parts - 1) : part
            let fee = number == parts ? feeLeft : FixedPoint.multiplyDivide(fill.fee.raw, quantity, fill.quantity.raw, rounding: .down)
            let pnl = number == parts ? pnlLeft : FixedPoint.multiplyDivide(realized.raw, quantity, fill.quantity.raw, rounding: .towardZero)
            feeLeft -= fee
            pnlLeft -= pnl
            result.append((Quantity(raw: quantity), Money(raw: fee), Money(raw: pnl)))
        }
        return result
    }

    // MARK: Payloads

    func orderUpdate(_ order: VenueOrderRecord, execution: String,
                     last: (quantity: Quantity, price: Price, fee: Money, tradeID: Int64, pnl: Money, maker: Bool)? = nil) -> VenueJSON {
        .object([
            ("e", .string("ORDER_TRADE_UPDATE")), ("T", .time(now)), ("E", .time(now)),
            ("o", .object([
                ("s", .string(order.symbol.name)), ("c", .string(order.clientOrderID)), ("S", .string(order.side.rawValue)),
                ("o", .string(order.type)), ("f", .string(order.timeInForce)), ("q", .value(order.origQuantity)),
                ("p", .value(order.price)), ("ap", .value(order.averagePrice)), ("sp", .value(order.stopPrice)),
                ("x", .string(execution)), ("X", .string(order.status)), ("i", .integer(order.orderID)),
                ("l", .value(last?.quantity ?? .zero)), ("z", .value(order.executedQuantity)), ("L", .value(last?.price ?? .zero)),
                ("N", .string("USDT")), ("n", .value(last?.fee ?? .zero)), ("T", .time(now)), ("t", .integer(last?.tradeID ?? 0)),
                ("b", .string("0")), ("a", .string("0")), ("m", .bool(last?.maker ?? false)), ("R", .bool(order.reduceOnly)),
                ("wt", .string(order.workingType)), ("ot", .string(order.origType)), ("ps", .string("BOTH")),
                ("cp", .bool(order.closePosition)), ("rp", .value(last?.pnl ?? .zero)), ("pP", .bool(false)),
                ("si", .integer(0)), ("ss", .integer(0)), ("V", .string("EXPIRE_MAKER")), ("pm", .string("NONE")), ("gtd", .integer(0)),
            ])),
        ])
    }

    func algoUpdate(_ algo: VenueAlgoRecord) -> VenueJSON {
        .object([
            ("e", .string("ALGO_UPDATE")), ("T", .time(now)), ("E", .time(now)),
            ("o", .object([
                ("caid", .string(algo.clientAlgoID)), ("aid", .integer(algo.algoID)), ("at", .string("CONDITIONAL")),
                ("o", .string(algo.orderType)), ("s", .string(algo.symbol.name)), ("S", .string(algo.side.rawValue)),
                ("ps", .string("BOTH")), ("f", .string("GTC")), ("q", .value(algo.quantity ?? .zero)), ("X", .string(algo.status)),
                ("ai", .string(algo.actualOrderID.map(String.init) ?? "")), ("ap", .value(algo.actualPrice)),
                ("aq", .value(algo.actualQuantity)), ("act", .string("MARKET")), ("tp", .value(algo.triggerPrice)),
                ("p", .string("0")), ("V", .string("EXPIRE_MAKER")), ("wt", .string(algo.workingType)), ("pm", .string("NONE")),
                ("cp", .bool(algo.closePosition)), ("pP", .bool(false)), ("R", .bool(algo.reduceOnly)),
                ("tt", .integer(algo.triggerTime?.milliseconds ?? 0)), ("gtd", .integer(0)), ("rm", .string("")),
            ])),
        ])
    }

    func accountUpdate(symbol: Symbol, reason: String) -> VenueJSON {
        var positions: [VenueJSON] = []
        if let index = index(of: symbol) {
            let slot = exchange.ledger.slots[index]
            let price = lastPrice(index)
            let amount = slot.map { Quantity(raw: $0.quantity.raw * $0.side.sign) } ?? .zero
            positions.append(.object([
                ("s", .string(symbol.name)), ("pa", .value(amount)), ("ep", .value(slot?.entryPrice ?? .zero)),
                ("bep", .value(slot?.entryPrice ?? .zero)), ("cr", .string("0")),
                ("up", .value(slot?.unrealizedPnL(at: price) ?? .zero)), ("mt", .string("isolated")),
                ("iw", .value(slot?.isolatedMargin ?? .zero)), ("ps", .string("BOTH")),
            ]))
        }
        let wallet = exchange.ledger.walletBalance
        return .object([
            ("e", .string("ACCOUNT_UPDATE")), ("E", .time(now)), ("T", .time(now)),
            ("a", .object([
                ("m", .string(reason)),
                ("B", .array([.object([("a", .string("USDT")), ("wb", .value(wallet)), ("cw", .value(wallet)), ("bc", .string("0"))])])),
                ("P", .array(positions)),
            ])),
        ])
    }
}
