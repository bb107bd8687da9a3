import TradingEngine
import TradingModel

extension SimulatedExchange {
    /// Submits an order at `time`: `.accepted`, or `.rejected` with a Binance-like reason.
    /// Market orders (and marketable limits) act at the next processing of the symbol's price
    /// (the current point when latency is `.none`: the driver calls `reprocess`).
    public mutating func submit(_ request: OrderRequest, symbolIndex index: Int, time: Timestamp, into events: inout [ExecutionEvent]) {
        now = time
        if let rejection = validate(request, symbolIndex: index) {
            record(request, .rejected, time: time, venueID: nil)
            events.append(.rejected(request.clientOrderID, symbol: request.symbol, rejection, time: time))
            return
        }
        venueSequence += 1
        // Venue ids are informational; a replay (no history) skips building the string.
        let venueID: String? = recordsHistory ? "sim-\(venueSequence)" : nil
        let reference = lastPrice[index]
        let marketable: Bool
        switch request.type {
        case .market: marketable = true
        case .limit: marketable = request.side == .buy ? request.price! >= reference : request.price! <= reference
        case .stopMarket, .takeProfitMarket: marketable = false
        }
        let eligible = settings.latency == .none ? pointSequence : pointSequence + 1
        openOrders.append(SimulatedOrder(request: request, symbolIndex: index, venueOrderID: venueID ?? "", eligibleFrom: eligible,
                                         resting: request.type == .limit && !marketable))
        record(request, .new, time: time, venueID: venueID)
        events.append(.accepted(request.clientOrderID, symbol: request.symbol, venueOrderID: venueID, time: time))
        if marketable && settings.latency == .none { needsReprocess = true }
    }

    /// Every check Binance makes that a simulation can: ids, shape, filters, reduce-only,
    /// immediate trigger, margin. Nil when the order is acceptable.
    func validate(_ request: OrderRequest, symbolIndex index: Int) -> OrderRejection? {
        guard index >= 0, index < instruments.count, instruments[index].symbol == request.symbol else {
            return OrderRejection(.other, code: -1121, message: "Invalid symbol \(request.symbol)")
        }
        if openOrders.indices.contains(where: { openOrders[$0].request.clientOrderID == request.clientOrderID }) {
            return OrderRejection(.duplicateClientOrderID, code: -4116, message: "ClientOrderId is duplicated")
        }
        let reference = lastPrice[index]
        guard reference.isPositive else { return OrderRejection(.other, message: "no price known for \(request.symbol) yet") }
        if request.closePosition {
            guard request.type.isConditional, request.quantity == nil else {
                return OrderRejection(.other, code: -4136, message: "closePosition is only for STOP_MARKET/TAKE_PROFIT_MARKET without quantity")
            }
        } else if request.quantity == nil {
            return OrderRejection(.other, code: -1102, message: "Mandatory parameter 'quantity' was not sent")
        }
        if request.type == .limit && request.price == nil {
            return OrderRejection(.other, code: -1102, message: "Mandatory parameter 'price' was not sent")
        }
        if request.type.isConditional && request.triggerPrice == nil {
            return OrderRejection(.other, code: -1102, message: "Mandatory parameter 'stopPrice' was not sent")
        }
        if let quantity = request.quantity {
            let price = request.type == .limit ? request.price! : (request.triggerPrice ?? reference)
            let market = request.type != .limit
            // Fast path (no allocation): the full list is built only when some filter fails.
            if !instruments[index].passesFilters(quantity: quantity, price: price, market: market, reduceOnly: request.reduceOnly,
                                                 ignoringGrid: !settings.enforcePrecision) {
                var violations = instruments[index].check(quantity: quantity, price: price, market: market, reduceOnly: request.reduceOnly)
                if !settings.enforcePrecision {
                    violations.removeAll { if case .quantityNotOnStep = $0 { true } else if case .priceNotOnTick = $0 { true } else { false } }
                }
                if let notional = violations.first(where: { if case .notionalBelowMinimum = $0 { true } else { false } }) {
                    return OrderRejection(.minNotional, code: -4164, message: notional.description)
                }
                if let first = violations.first { return OrderRejection(.precision, code: -1111, message: first.description) }
            }
        }
        if settings.enforcePrecision, let trigger = request.triggerPrice, !trigger.isMultiple(of: instruments[index].tickSize) {
            return OrderRejection(.precision, code: -1111,
                                  message: "stop price \(trigger) is not a multiple of the tick size \(instruments[index].tickSize)")
        }
        // The venue position from the ledger's hot copies (no copy of the whole ledger).
        let positionSign = ledger.sideSign[index]
        let positionQuantity = Quantity(raw: ledger.quantityRaw[index])
        let positionSide: Side? = positionSign == 0 ? nil : (positionSign > 0 ? .long : .short)
        if request.reduceOnly || request.closePosition {
            guard let positionSide, request.side == positionSide.exitOrderSide else {
                return OrderRejection(.reduceOnlyRejected, code: -2022, message: "ReduceOnly Order is rejected: it would increase or open a position")
            }
            if let quantity = request.quantity, quantity > positionQuantity {
                return OrderRejection(.reduceOnlyRejected, code: -2022,
                                      message: "ReduceOnly Order is rejected: quantity \(quantity) would flip the position of \(positionQuantity)")
            }
        }
        if let trigger = request.triggerPrice {
            let fires = SimulatedExchange.triggers(request, trigger: trigger, price: reference)
            if fires { return OrderRejection(.wouldImmediatelyTrigger, code: -2021, message: "Order would immediately trigger") }
        }
        if !request.reduceOnly && !request.closePosition, let quantity = request.quantity {
            var increase = quantity
            if let positionSide, positionSide != request.side.positionSide {
                increase = quantity > positionQuantity ? quantity - positionQuantity : .zero
            }
            if increase.isPositive {
                let price = request.type == .limit ? request.price! : reference
                guard let notional = FastFixedPoint.checkedNotional(price, increase, .up),
                      let fee = settings.fees.checkedFee(price: price, quantity: increase, liquidity: .taker),
                      notional.raw.magnitude <= UInt64(Portfolio.maximumMagnitude), fee.raw.magnitude <= UInt64(Portfolio.maximumMagnitude) else {
                    return OrderRejection(.other, code: -1111, message: "order value of \(increase) at \(price) is out of range")
                }
                let required = FastFixedPoint.divided(notional, by: Int64(leverage[index]), .up) + fee
                if required > ledger.availableMargin - reservedMargin() {
                    return OrderRejection(.insufficientMargin, code: -2019,
                                          message: "Margin is insufficient: required \(required), available \(ledger.availableMargin - reservedMargin())")
                }
            }
        }
        return nil
    }

    /// Initial margin held by open non-reduce orders (summed wide and capped at `Int64 / 8`, so
    /// `availableMargin − reservedMargin()` always fits).
    func reservedMargin() -> Money {
        var total: Int128 = 0
        for position in openOrders.indices where !openOrders[position].request.reduceOnly && !openOrders[position].request.closePosition {
            guard let quantity = openOrders[position].request.quantity else { continue }
            let symbolIndex = openOrders[position].symbolIndex
            let price = openOrders[position].request.price ?? openOrders[position].request.triggerPrice ?? lastPrice[symbolIndex]
            if let notional = FastFixedPoint.checkedNotional(price, quantity, .up) {
                total += Int128(FastFixedPoint.divided(notional, by: Int64(leverage[symbolIndex]), .up).raw)
            } else {
                total += Int128(Int64.max)
            }
        }
        return Money(raw: Int64(min(total, Int128(Int64.max / 8))))
    }

    /// True when a conditional order's trigger is reached at `price`.
    @inlinable
    static func triggers(_ request: OrderRequest, trigger: Price, price: Price) -> Bool {
        switch (request.type, request.side) {
        case (.stopMarket, .sell), (.takeProfitMarket, .buy): price <= trigger
        case (.stopMarket, .buy), (.takeProfitMarket, .sell): price >= trigger
        default: false
        }
    }

    /// Liquidation, then every eligible order of symbol `index` at the current price.
    @usableFromInline
    mutating func process(symbolIndex index: Int, into events: inout [ExecutionEvent]) {
        let price = lastPrice[index]
        if ledger.isLiquidated(index, at: price), let position = ledger.slots[index] {
            liquidate(symbolIndex: index, position: position, into: &events)
        }
        guard !openOrders.isEmpty else { return }
        var cursor = 0
        while cursor < openOrders.count {
            // Fields are read in place; only an order that executes is moved out of the book.
            guard openOrders[cursor].symbolIndex == index, openOrders[cursor].eligibleFrom <= pointSequence else { cursor += 1; continue }
            var fillPrice: Price?
            var liquidity = Liquidity.taker
            let side = openOrders[cursor].request.side
            switch openOrders[cursor].request.type {
            case .market:
                fillPrice = price
            case .limit:
                let limit = openOrders[cursor].request.price!
                let reached = side == .buy ? price <= limit : price >= limit
                if reached {
                    if openOrders[cursor].resting { fillPrice = limit; liquidity = .maker } else { fillPrice = price }
                }
            case .stopMarket, .takeProfitMarket:
                if SimulatedExchange.triggers(openOrders[cursor].request, trigger: openOrders[cursor].request.triggerPrice!, price: price) {
                    events.append(.triggered(openOrders[cursor].request.clientOrderID, symbol: openOrders[cursor].request.symbol, time: now))
                    fillPrice = price
                }
            }
            guard let basePrice = fillPrice else { cursor += 1; continue }
            let order = openOrders.remove(at: cursor)
            execute(order, at: basePrice, liquidity: liquidity, into: &events)
        }
    }

    mutating func execute(_ order: SimulatedOrder, at basePrice: Price, liquidity: Liquidity, into events: inout [ExecutionEvent]) {
        let request = order.request
        let index = order.symbolIndex
        var quantity = request.quantity ?? .zero
        if request.reduceOnly || request.closePosition {
            let sign = ledger.sideSign[index]
            guard sign != 0, (sign > 0 ? OrderSide.sell : OrderSide.buy) == request.side else {
                record(request, .expired, time: now, venueID: order.venueOrderID)
                events.append(.canceled(request.clientOrderID, symbol: request.symbol, time: now))
                return
            }
            let positionQuantity = Quantity(raw: ledger.quantityRaw[index])
            if request.closePosition || quantity > positionQuantity { quantity = positionQuantity }
        }
        let price = liquidity == .taker ? slipped(basePrice, side: request.side) : basePrice
        // A fee that does not fit makes the fill unbookable below (the ledger's fault says why).
        let fee = settings.fees.checkedFee(price: price, quantity: quantity, liquidity: liquidity) ?? Money(raw: .max)
        let fill = Fill(clientOrderID: request.clientOrderID, symbol: request.symbol, side: request.side, price: price,
                        quantity: quantity, fee: fee, liquidity: liquidity, time: now)
        _ = ledger.apply(fill, symbolIndex: index, leverage: leverage[index])
        if ledger.hasFault {
            // The venue could not book it (or an earlier value): the order expires unfilled and
            // the replay stops at this bar (`ledger.fault`).
            record(request, .expired, time: now, venueID: order.venueOrderID)
            events.append(.canceled(request.clientOrderID, symbol: request.symbol, time: now))
            return
        }
        record(request, .filled, time: now, venueID: order.venueOrderID, filled: quantity, averagePrice: price)
        events.append(.filled(fill))
    }

    /// Taker slippage: buys pay more, sells receive less, by `slippageBasisPoints`.
    func slipped(_ price: Price, side: OrderSide) -> Price {
        guard settings.slippageBasisPoints > 0 else { return price }
        let move = Rate(raw: settings.slippageBasisPoints * 10_000 * (side == .buy ? 1 : -1))
        // Beyond `Int64` only for a price no market printed: capped (the fill is then unbookable).
        return FastFixedPoint.checkedMoved(price, by: move, side == .buy ? .up : .down) ?? Price(raw: .max)
    }

    /// Liquidates at the liquidation price (also when the point gapped beyond it); the isolated
    /// margin is lost; the symbol's reduce-only orders are cancelled.
    mutating func liquidate(symbolIndex index: Int, position: PositionLedger, into events: inout [ExecutionEvent]) {
        let symbol = instruments[index].symbol
        _ = ledger.liquidate(symbolIndex: index, price: position.liquidationPrice, time: now)
        events.append(.liquidated(symbol: symbol, price: position.liquidationPrice, quantity: position.quantity, time: now))
        var cursor = 0
        while cursor < openOrders.count {
            let order = openOrders[cursor]
            if order.symbolIndex == index && (order.request.reduceOnly || order.request.closePosition) {
                openOrders.remove(at: cursor)
                record(order.request, .canceled, time: now, venueID: order.venueOrderID)
                events.append(.canceled(order.request.clientOrderID, symbol: symbol, time: now))
            } else {
                cursor += 1
            }
        }
    }
}
