import TradingEngine
import TradingModel
import Backtest

/// Instruments, account settings, positions, balances, fills and income.
extension VenueEngine {
    func exchangeInfo() -> VenueJSON {
        let symbols: [VenueJSON] = instruments.map { traded in
            let listing = listings[traded.symbol] ?? VenueListing(instrument: traded)
            let instrument = listing.instrument
            let priceDecimals = instrument.priceDecimals
            let quantityDecimals = instrument.quantityDecimals
            return .object([
                ("symbol", .string(instrument.symbol.name)), ("pair", .string(instrument.symbol.name)),
                ("contractType", .string(listing.contractType)), ("deliveryDate", .integer(4_133_404_800_000)),
                ("onboardDate", .integer(1_569_398_400_000)), ("status", .string(listing.status)),
                ("baseAsset", .string(instrument.baseAsset)), ("quoteAsset", .string(instrument.quoteAsset)),
                ("marginAsset", .string(instrument.quoteAsset)), ("pricePrecision", .integer(Int64(instrument.pricePrecision))),
                ("quantityPrecision", .integer(Int64(instrument.quantityPrecision))), ("baseAssetPrecision", .integer(8)),
                ("quotePrecision", .integer(8)), ("underlyingType", .string("COIN")), ("triggerProtect", .string("0.0500")),
                ("liquidationFee", .string("0.012500")), ("marketTakeBound", .string("0.05")),
                ("filters", .array([
                    .object([("filterType", .string("PRICE_FILTER")), ("minPrice", .decimal(instrument.minPrice, priceDecimals)),
                             ("maxPrice", .decimal(instrument.maxPrice, priceDecimals)), ("tickSize", .decimal(instrument.tickSize, priceDecimals))]),
                    .object([("filterType", .string("LOT_SIZE")), ("minQty", .decimal(instrument.minQuantity, quantityDecimals)),
                             ("maxQty", .decimal(instrument.maxQuantity, quantityDecimals)), ("stepSize", .decimal(instrument.stepSize, quantityDecimals))]),
                    .object([("filterType", .string("MARKET_LOT_SIZE")), ("minQty", .value(instrument.marketMinQuantity)),
                             ("maxQty", .value(instrument.marketMaxQuantity)), ("stepSize", .value(instrument.marketStepSize))]),
                    .object([("filterType", .string("MAX_NUM_ORDERS")), ("limit", .integer(200))]),
                    .object([("filterType", .string("MIN_NOTIONAL")), ("notional", .value(instrument.minNotional))]),
                    .object([("filterType", .string("PERCENT_PRICE")), ("multiplierUp", .string("1.0500")),
                             ("multiplierDown", .string("0.9500")), ("multiplierDecimal", .string("4"))]),
                ])),
                ("orderTypes", .array(["LIMIT", "MARKET", "STOP", "STOP_MARKET", "TAKE_PROFIT", "TAKE_PROFIT_MARKET", "TRAILING_STOP_MARKET"].map { .string($0) })),
                ("timeInForce", .array(["GTC", "IOC", "FOK", "GTX"].map { .string($0) })),
            ])
        }
        return .object([
            ("timezone", .string("UTC")), ("serverTime", .time(now)), ("futuresType", .string("U_MARGINED")),
            ("rateLimits", .array([
                .object([("rateLimitType", .string("REQUEST_WEIGHT")), ("interval", .string("MINUTE")), ("intervalNum", .integer(1)), ("limit", .integer(Int64(rateLimits.weightPerMinute)))]),
                .object([("rateLimitType", .string("ORDERS")), ("interval", .string("MINUTE")), ("intervalNum", .integer(1)), ("limit", .integer(Int64(rateLimits.ordersPerMinute)))]),
                .object([("rateLimitType", .string("ORDERS")), ("interval", .string("SECOND")), ("intervalNum", .integer(10)), ("limit", .integer(Int64(rateLimits.ordersPerTenSeconds)))]),
            ])),
            ("exchangeFilters", .array([])),
            ("assets", .array([.object([("asset", .string("USDT")), ("marginAvailable", .bool(true)), ("autoAssetExchange", .string("-10000"))])])),
            ("symbols", .array(symbols)),
        ])
    }

    func leverageBrackets(_ request: VenueRequest) throws(VenueError) -> VenueJSON {
        var selected = instruments
        if request["symbol"] != nil {
            let (symbol, _) = try symbolIndex(request)
            selected = instruments.filter { $0.symbol == symbol }
        }
        return .array(selected.map { instrument in
            .object([
                ("symbol", .string(instrument.symbol.name)), ("notionalCoef", .number("1.0")),
                ("brackets", .array(instrument.marginBrackets.enumerated().map { offset, bracket in
                    .object([
                        ("bracket", .integer(Int64(offset + 1))), ("initialLeverage", .integer(Int64(bracket.maxLeverage))),
                        ("notionalCap", .number(FixedPoint.format(bracket.notionalCap.raw))),
                        ("notionalFloor", .number(FixedPoint.format(bracket.notionalFloor.raw))),
                        ("maintMarginRatio", .number(FixedPoint.format(bracket.maintenanceMarginRate.raw))),
                        ("cum", .number(FixedPoint.format(bracket.maintenanceAmount.raw))),
                    ])
                })),
            ])
        })
    }

    mutating func changeLeverage(_ request: VenueRequest) throws(VenueError) -> VenueJSON {
        let (symbol, index) = try symbolIndex(request)
        guard let text = request["leverage"] else { throw .missing("leverage") }
        guard let leverage = Int(text) else { throw .malformed("leverage") }
        do throws(OrderRejection) {
            try exchange.setLeverage(leverage, symbolIndex: index)
        } catch {
            throw VenueError(code: error.code ?? -4028, message: error.message)
        }
        let cap = instruments[index].marginBrackets.last { $0.maxLeverage >= leverage }?.notionalCap ?? .zero
        return .object([("leverage", .integer(Int64(leverage))), ("maxNotionalValue", .value(cap)), ("symbol", .string(symbol.name))])
    }

    mutating func changeMarginType(_ request: VenueRequest) throws(VenueError) -> VenueJSON {
        let (symbol, index) = try symbolIndex(request)
        guard let type = request["marginType"]?.uppercased() else { throw .missing("marginType") }
        guard type == "ISOLATED" || type == "CROSSED" else { throw .malformed("marginType") }
        if marginTypes[symbol] == type { throw VenueError(code: -4046, message: "No need to change margin type.") }
        if exchange.ledger.slots[index] != nil { throw VenueError(code: -4048, message: "Margin type cannot be changed if there exists position.") }
        if exchange.openOrders.contains(where: { $0.symbolIndex == index }) {
            throw VenueError(code: -4047, message: "Margin type cannot be changed if there exists open orders.")
        }
        marginTypes[symbol] = type
        return .object([("code", .integer(200)), ("msg", .string("success"))])
    }

    mutating func changePositionMode(_ request: VenueRequest) throws(VenueError) -> VenueJSON {
        guard request["dualSidePosition"] != nil else { throw .missing("dualSidePosition") }
        let dual = try VenueEngine.flag(request, "dualSidePosition")
        if dual == dualSidePosition { throw VenueError(code: -4059, message: "No need to change position side.") }
        if exchange.ledger.openCount > 0 { throw VenueError(code: -4068, message: "Position side cannot be changed if there exists position.") }
        if !exchange.openOrders.isEmpty { throw VenueError(code: -4067, message: "Position side cannot be changed if there exists open orders.") }
        dualSidePosition = dual
        return .object([("code", .integer(200)), ("msg", .string("success"))])
    }

    /// `positionRisk` rows; v3 lists only symbols with a position or open orders, v2 every symbol
    /// and adds `leverage`, `marginType`, `isAutoAddMargin`, `maxNotionalValue`.
    func positionRisk(_ request: VenueRequest, version: Int) throws(VenueError) -> VenueJSON {
        var selected = Array(instruments.indices)
        if request["symbol"] != nil { selected = [try symbolIndex(request).1] }
        var rows: [VenueJSON] = []
        for index in selected {
            let instrument = instruments[index]
            let slot = exchange.ledger.slots[index]
            let hasOrders = exchange.openOrders.contains { $0.symbolIndex == index }
            if version == 3 && slot == nil && !hasOrders { continue }
            let price = lastPrice(index)
            let amount = slot.map { Quantity(raw: $0.quantity.raw * $0.side.sign) } ?? .zero
            let notional = slot.map { Money(raw: FastFixedPoint.notional(price, $0.quantity, .nearest).raw * $0.side.sign) } ?? .zero
            let unrealized = slot?.unrealizedPnL(at: price) ?? .zero
            let leverage = Int64(exchange.leverage[index])
            let initial = slot.map { FastFixedPoint.divided(notional.magnitude, by: Int64($0.leverage), .up) } ?? .zero
            var members: [(String, VenueJSON)] = [
                ("symbol", .string(instrument.symbol.name)), ("positionSide", .string("BOTH")), ("positionAmt", .value(amount)),
                ("entryPrice", .value(slot?.entryPrice ?? .zero)), ("breakEvenPrice", .value(slot?.entryPrice ?? .zero)),
                ("markPrice", .value(price)), ("unRealizedProfit", .value(unrealized)),
                ("liquidationPrice", .value(slot?.liquidationPrice ?? .zero)),
                ("isolatedMargin", .value((slot?.isolatedMargin ?? .zero) + unrealized)), ("notional", .value(notional)),
                ("marginAsset", .string("USDT")), ("isolatedWallet", .value(slot?.isolatedMargin ?? .zero)),
                ("initialMargin", .value(initial)), ("maintMargin", .value(slot?.maintenanceMargin(at: price) ?? .zero)),
                ("positionInitialMargin", .value(initial)), ("openOrderInitialMargin", .string("0")), ("adl", .integer(0)),
                ("bidNotional", .string("0")), ("askNotional", .string("0")), ("updateTime", .time(now)),
            ]
            if version == 2 {
                let cap = instrument.marginBrackets.last { Int64($0.maxLeverage) >= leverage }?.notionalCap ?? .zero
                members += [("leverage", .string(String(leverage))), ("maxNotionalValue", .value(cap)),
                            ("marginType", .string(marginTypes[instrument.symbol] == "ISOLATED" ? "isolated" : "cross")),
                            ("isAutoAddMargin", .string("false"))]
            }
            rows.append(.object(members))
        }
        return .array(rows)
    }

    /// Σ unrealized PnL at the last prices.
    var totalUnrealized: Money {
        var total = Money.zero
        for (index, slot) in exchange.ledger.slots.enumerated() { if let slot { total += slot.unrealizedPnL(at: lastPrice(index)) } }
        return total
    }

    /// `GET /fapi/v1/accountConfig`: the keys may trade unless `canTrade` was switched off.
    func accountConfig() -> VenueJSON {
        .object([("feeTier", .integer(0)), ("canTrade", .bool(canTrade)), ("canDeposit", .bool(true)), ("canWithdraw", .bool(true)),
                 ("dualSidePosition", .bool(dualSidePosition)), ("updateTime", .integer(0)), ("multiAssetsMargin", .bool(false)),
                 ("tradeGroupId", .integer(-1))])
    }

    /// Σ maintenance margin of the open positions at the last prices.
    var totalMaintenanceMargin: Money {
        var total = Money.zero
        for (index, slot) in exchange.ledger.slots.enumerated() { if let slot { total += slot.maintenanceMargin(at: lastPrice(index)) } }
        return total
    }

    func account() -> VenueJSON {
        let ledger = exchange.ledger
        let wallet = ledger.walletBalance
        let unrealized = totalUnrealized
        let used = ledger.usedMargin
        let available = ledger.availableMargin
        var positions: [VenueJSON] = []
        for (index, slot) in ledger.slots.enumerated() {
            guard let slot else { continue }
            let price = lastPrice(index)
            positions.append(.object([
                ("symbol", .string(slot.symbol.name)), ("positionSide", .string("BOTH")),
                ("positionAmt", .value(Quantity(raw: slot.quantity.raw * slot.side.sign))),
                ("unrealizedProfit", .value(slot.unrealizedPnL(at: price))), ("isolatedMargin", .value(slot.isolatedMargin)),
                ("notional", .value(Money(raw: FastFixedPoint.notional(price, slot.quantity, .nearest).raw * slot.side.sign))),
                ("isolatedWallet", .value(slot.isolatedMargin)), ("initialMargin", .value(slot.isolatedMargin)),
                ("maintMargin", .value(slot.maintenanceMargin(at: price))), ("updateTime", .time(now)),
            ]))
        }
        return .object([
            ("totalInitialMargin", .value(used)), ("totalMaintMargin", .value(totalMaintenanceMargin)), ("totalWalletBalance", .value(wallet)),
            ("totalUnrealizedProfit", .value(unrealized)), ("totalMarginBalance", .value(wallet + unrealized)),
            ("totalPositionInitialMargin", .value(used)), ("totalOpenOrderInitialMargin", .string("0")),
            ("totalCrossWalletBalance", .value(wallet)), ("totalCrossUnPnl", .string("0")),
            ("availableBalance", .value(available)), ("maxWithdrawAmount", .value(available)),
            ("assets", .array([.object([
                ("asset", .string("USDT")), ("walletBalance", .value(wallet)), ("unrealizedProfit", .value(unrealized)),
                ("marginBalance", .value(wallet + unrealized)), ("maintMargin", .string("0")), ("initialMargin", .value(used)),
                ("positionInitialMargin", .value(used)), ("openOrderInitialMargin", .string("0")),
                ("crossWalletBalance", .value(wallet)), ("crossUnPnl", .string("0")), ("availableBalance", .value(available)),
                ("maxWithdrawAmount", .value(available)), ("updateTime", .time(now)),
            ])])),
            ("positions", .array(positions)),
        ])
    }

    func balances() -> VenueJSON {
        let wallet = exchange.ledger.walletBalance
        let available = exchange.ledger.availableMargin
        return .array([.object([
            ("accountAlias", .string("venue")), ("asset", .string("USDT")), ("balance", .value(wallet)),
            ("crossWalletBalance", .value(wallet)), ("crossUnPnl", .string("0")), ("availableBalance", .value(available)),
            ("maxWithdrawAmount", .value(available)), ("marginAvailable", .bool(true)), ("updateTime", .time(now)),
        ])])
    }

    func userTrades(_ request: VenueRequest) throws(VenueError) -> VenueJSON {
        let (symbol, _) = try symbolIndex(request)
        let start = request["startTime"].flatMap { Int64($0) }
        let end = request["endTime"].flatMap { Int64($0) }
        let limit = min(1000, request["limit"].flatMap { Int($0) } ?? 500)
        let rows = trades.filter { trade in
            trade.symbol == symbol && VenueEngine.inside(trade.time, start: start, end: end)
        }
        return .array(rows.suffix(limit).map(\.json))
    }

    func incomeRows(_ request: VenueRequest) -> VenueJSON {
        let symbol = request["symbol"].flatMap { Symbol($0) }
        let type = request["incomeType"]
        let start = request["startTime"].flatMap { Int64($0) }
        let end = request["endTime"].flatMap { Int64($0) }
        let limit = min(1000, request["limit"].flatMap { Int($0) } ?? 100)
        let rows = income.filter { row in
            (symbol == nil || row.symbol == symbol) && (type == nil || row.type == type) && VenueEngine.inside(row.time, start: start, end: end)
        }
        return .array(rows.prefix(limit).map(\.json))
    }

    static func inside(_ time: Timestamp, start: Int64?, end: Int64?) -> Bool {
        (start.map { time.milliseconds >= $0 } ?? true) && (end.map { time.milliseconds <= $0 } ?? true)
    }
}
