import Foundation
import BinanceFutures
import Testing
import TradingEngine
import TradingModel

/// Every recorded payload in Fixtures/ parses into fixed-point values (never Double).
@Suite("Fixture parsing")
struct FixtureParsingTests {
    let received = Timestamp(milliseconds: 1_700_000_000_000)

    @Test func everyFixtureHasAParsingTest() throws {
        let covered: Set<String> = [
            "error_response.json", "error_responses_catalog.json", "rest_account_position_side_dual.json", "rest_account_trades.json",
            "rest_account_v2.json", "rest_account_v3.json", "rest_algo_order_cancel.json", "rest_algo_order_query.json",
            "rest_algo_order_response_new.json", "rest_balance_v2.json", "rest_batchOrders_response.json", "rest_book_ticker.json",
            "rest_depth.json", "rest_exchangeInfo_2022_BTC_ETH.json", "rest_exchangeInfo_2024_BTC_ETH_LINK_ATOM.json",
            "rest_funding_rate.json", "rest_income.json", "rest_klines.json", "rest_leverage_change.json", "rest_listenKey_create.json",
            "rest_order_response_new_order.json", "rest_positionRisk_v2.json", "rest_positionRisk_v3.json", "rest_premium_index.json",
            "ws_market_aggTrade.json", "ws_market_bookTicker.json", "ws_market_depthUpdate.json", "ws_market_forceOrder.json",
            "ws_market_kline.json", "ws_market_markPriceUpdate.json", "ws_user_ACCOUNT_UPDATE.json",
            "ws_user_ALGO_UPDATE_finished_capture.json", "ws_user_ALGO_UPDATE_new.json", "ws_user_ALGO_UPDATE_triggered_capture.json",
            "ws_user_ORDER_TRADE_UPDATE_new.json", "ws_user_listenKeyExpired.json",
        ]
        #expect(Set(try fixtureNames()) == covered)
    }

    @Test func exchangeInfo2024BuildsInstrumentsWithEveryFilter() throws {
        let info = try BinanceExchangeInfo.parse(try fixture("rest_exchangeInfo_2024_BTC_ETH_LINK_ATOM.json"))
        #expect(info.weightLimitPerMinute == 2400)
        #expect(info.symbols.map(\.symbol) == ["BTCUSDT", "ETHUSDT", "LINKUSDT", "ATOMUSDT"])
        let atom = try info.instrument("ATOMUSDT", brackets: [])
        #expect(atom.tickSize == Price("0.001")! && atom.minPrice == Price("0.251")! && atom.maxPrice == Price(units: 100_000))
        #expect(atom.stepSize == Quantity("0.01")! && atom.minQuantity == Quantity("0.01")! && atom.maxQuantity == Quantity(units: 100_000))
        #expect(atom.marketStepSize == Quantity("0.01")! && atom.marketMaxQuantity == Quantity(units: 20_000))
        #expect(atom.minNotional == Money(units: 5))
        #expect(atom.priceDecimals == 3 && atom.quantityDecimals == 2)
        let symbolInfo = try #require(info.symbolInfo("ATOMUSDT"))
        #expect(symbolInfo.orderTypes == nil)  // the capture has "orderType": null
        #expect(symbolInfo.isTradingPerpetual)
        #expect(symbolInfo.maxOpenOrders == 200)
        #expect(symbolInfo.percentPriceBounds?.up == Rate("1.1")! && symbolInfo.percentPriceBounds?.down == Rate("0.9")!)
        for symbol in info.symbols { _ = try symbol.instrument(brackets: []) }
    }

    @Test func exchangeInfo2022ParsesRateLimitsAndFilters() throws {
        let info = try BinanceExchangeInfo.parse(try fixture("rest_exchangeInfo_2022_BTC_ETH.json"))
        #expect(info.weightLimitPerMinute == 6000)
        #expect(info.rateLimits.contains { $0.rateLimitType == "ORDERS" && $0.interval == "SECOND" && $0.intervalNum == 10 && $0.limit == 300 })
        let btc = try info.instrument("BTCUSDT", brackets: [])
        #expect(btc.tickSize == Price("0.1")! && btc.minPrice == Price(units: 402) && btc.stepSize == Quantity("0.001")!)
        #expect(btc.priceDecimals == 1 && btc.quantityDecimals == 3)
        #expect(info.symbolInfo("BTCUSDT")?.orderTypes?.contains("TRAILING_STOP_MARKET") == true)
    }

    @Test func leverageBracketsParseExactly() throws {
        let body = Array(#"[{"symbol":"ATOMUSDT","notionalCoef":1.0,"brackets":[{"bracket":2,"initialLeverage":20,"notionalCap":25000,"notionalFloor":5000,"maintMarginRatio":0.025,"cum":75.0},{"bracket":1,"initialLeverage":50,"notionalCap":5000,"notionalFloor":0,"maintMarginRatio":0.01,"cum":0.0}]}]"#.utf8)
        let brackets = try BinanceLeverageBrackets.parse(body)[0].marginBrackets()
        #expect(brackets.map(\.maxLeverage) == [50, 20])
        #expect(brackets[1].maintenanceMarginRate == Rate("0.025")! && brackets[1].maintenanceAmount == Money(units: 75))
        #expect(brackets[1].notionalFloor == Money(units: 5000) && brackets[1].notionalCap == Money(units: 25_000))
    }

    @Test func orderResponses() throws {
        let order = try BinanceOrder.parse(try fixture("rest_order_response_new_order.json")).snapshot()
        #expect(order.request.clientOrderID.value == "testOrder" && order.status == .new && order.venueOrderID == "22542179")
        #expect(order.request.quantity == Quantity(units: 10) && order.request.price == nil && order.request.type == .limit)
        #expect(order.filledQuantity == .zero && order.averagePrice == nil)

        let batch = try BinanceBatchOrderResult.parse(try fixture("rest_batchOrders_response.json"))
        #expect(batch == [.failed(BinanceAPIError(code: -2022, msg: "ReduceOnly Order is rejected."))])
    }

    @Test func algoOrderResponses() throws {
        let placed = try BinanceAlgoOrder.parse(try fixture("rest_algo_order_response_new.json"))
        #expect(placed.algoId == 2_146_760 && placed.linkedOrderID == nil)
        let snapshot = try placed.snapshot()
        #expect(snapshot.request.clientOrderID.value == "6B2I9XVcJpCjqPAJ4YoFX7" && snapshot.status == .new)
        #expect(snapshot.request.triggerPrice == Price(units: 750) && snapshot.request.quantity == Quantity("0.01")!)
        #expect(snapshot.request.triggerSource == .lastPrice && snapshot.venueOrderID == "algo:2146760")

        let queried = try BinanceAlgoOrder.parse(try fixture("rest_algo_order_query.json"))
        #expect(try queried.snapshot().status == .canceled && queried.linkedOrderID == nil)

        let cancel = try BinanceJSONTestHook.decodeAlgoCancel(try fixture("rest_algo_order_cancel.json"))
        #expect(cancel.succeeded && cancel.algoId == 2_146_760)
    }

    @Test func positionsAccountBalances() throws {
        let v3 = try BinancePositionRisk.parse(try fixture("rest_positionRisk_v3.json"))
        let position = try #require(try v3[0].snapshot())
        // leverage = |notional| / positionInitialMargin = 12.314277 / 0.61571385 = 20.0
        #expect(position.symbol == "ADAUSDT" && position.signedQuantity == Quantity(units: 30) && position.leverage == 20)
        #expect(position.entryPrice == Price("0.385")! && position.liquidationPrice == nil)

        let v2 = try BinancePositionRisk.parse(try fixture("rest_positionRisk_v2.json"))
        let second = try #require(try v2[0].snapshot())
        #expect(second.leverage == 20 && second.liquidationPrice == Price(units: 45_000) && second.signedQuantity == Quantity("0.001")!)

        let accountV3 = try BinanceAccount.parse(try fixture("rest_account_v3.json"))
        #expect(try accountV3.totals().wallet == Money("126.72469206")!)
        let accountV2 = try BinanceAccount.parse(try fixture("rest_account_v2.json"))
        #expect(try accountV2.totals().available == Money("23.72469206")! && accountV2.positions.count == 1)

        let balances = try BinanceBalance.parse(try fixture("rest_balance_v2.json"))
        #expect(try balances[0].amounts().balance == Money("122.12345678")!)
    }

    @Test func tradesIncomeAndSmallResponses() throws {
        let trades = try BinanceUserTrade.parse(try fixture("rest_account_trades.json"))
        let second = try trades[1].values()
        #expect(second.price == Price(units: 2779) && second.quantity == Quantity("0.005")!)
        #expect(second.realizedPnL == Money("-0.00325")! && second.commission == Money("0.005558")! && !trades[1].maker)

        let income = try BinanceIncome.parse(try fixture("rest_income.json"))
        let incomeAmount = try income[0].amount
        #expect(income[0].kind == .transfer && incomeAmount == Money("-0.375")! && income[0].tranId.value == 9_689_322_392)

        let mode = try BinanceJSONTestHook.decode(BinancePositionMode.self, try fixture("rest_account_position_side_dual.json"))
        #expect(mode.dualSidePosition)
        let leverage = try BinanceJSONTestHook.decode(BinanceLeverageChange.self, try fixture("rest_leverage_change.json"))
        #expect(leverage.leverage == 21 && Money(leverage.maxNotionalValue) == Money(units: 1_000_000))
        let key = try BinanceJSONTestHook.decode(BinanceListenKey.self, try fixture("rest_listenKey_create.json"))
        #expect(key.listenKey.count == 64)
        let error = try #require(BinanceAPIError.parse(try fixture("error_response.json")))
        #expect(error == BinanceAPIError(code: -1121, msg: "Invalid symbol."))
    }

    @Test func marketDataREST() throws {
        let premium = try BinanceJSONTestHook.decode(BinancePremiumIndex.self, try fixture("rest_premium_index.json")).markPrice(receivedAt: received)
        #expect(premium.price == Price("11793.63104562")! && premium.fundingRate == Rate("0.00038246")!)
        #expect(premium.nextFundingTime == Timestamp(milliseconds: 1_597_392_000_000))

        let funding = try BinanceJSONTestHook.decode([BinanceFundingRateRow].self, try fixture("rest_funding_rate.json"))
        #expect(try funding[0].fundingRateValue().rate == Rate("-0.0375")!)

        let candles = try BinanceKlines.parse(try fixture("rest_klines.json"))
        #expect(candles.count == 1 && candles[0].open == Price("0.0163479")! && candles[0].high == Price("0.8")!)
        #expect(candles[0].volume == Quantity("148976.11427815")! && candles[0].tradeCount == 308)
        #expect(candles[0].openTime == Timestamp(milliseconds: 1_499_040_000_000))

        let book = try BookTicker.parseREST(try fixture("rest_book_ticker.json"), receivedAt: received)
        #expect(book.bidPrice == Price(units: 4) && book.askPrice == Price("4.000002")! && book.askQuantity == Quantity(units: 9))

        let depth = try BinanceDepth.parse(try fixture("rest_depth.json"))
        #expect(depth.lastUpdateID == 1_027_024 && depth.bids[0].quantity == Quantity(units: 431) && depth.asks[0].price == Price("4.000002")!)
    }

    @Test func marketStreamEvents() throws {
        let mark = try BinanceMarketStreamParser.parse(try fixture("ws_market_markPriceUpdate.json"), receivedAt: received)
        guard case .markPrice(let markPrice) = mark else { Issue.record("not a mark price"); return }
        #expect(markPrice.price == Price("11794.15")! && markPrice.indexPrice == Price("11784.62659091")!)
        #expect(markPrice.fundingRate == Rate("0.00038167")! && markPrice.eventTime == Timestamp(milliseconds: 1_562_305_380_000))
        #expect(markPrice.receiveTime == received && mark.marketEvent == .markPrice(markPrice))

        let trade = try BinanceMarketStreamParser.parse(try fixture("ws_market_aggTrade.json"), receivedAt: received)
        #expect(trade == .trade(Trade(symbol: "BNBUSDT", price: Price("0.001")!, quantity: Quantity(units: 100), buyerIsMaker: true,
                                      tradeTime: Timestamp(milliseconds: 123_456_785), receiveTime: received)))

        // The docs' kline example has its low (0.0015) above its open (0.0010): refused as absurd.
        #expect(throws: BinanceDecodingError.self) { try BinanceMarketStreamParser.parse(try fixture("ws_market_kline.json"), receivedAt: received) }
        let kline = try BinanceMarketStreamParser.parse(try Self.consistentKline(), receivedAt: received)
        guard case .kline(let symbol, let candle, let interval, let closed) = kline else { Issue.record("not a kline"); return }
        #expect(symbol == "BTCUSDT" && interval == .seconds(60) && !closed && candle.close == Price("0.002")!)
        #expect(kline.marketEvent == nil)  // x == false: an open bar never reaches the engine

        let bookTicker = try BinanceMarketStreamParser.parse(try fixture("ws_market_bookTicker.json"), receivedAt: received)
        guard case .bookTicker(let book) = bookTicker else { Issue.record("not a book ticker"); return }
        #expect(book.bidPrice == Price("25.3519")! && book.askQuantity == Quantity("40.66")!)

        let depth = try BinanceMarketStreamParser.parse(try fixture("ws_market_depthUpdate.json"), receivedAt: received)
        #expect(depth == .depthUpdate("BNBUSDT", firstUpdateID: 157, finalUpdateID: 160, previousFinalUpdateID: 149,
                                      time: Timestamp(milliseconds: 123_456_789)))
        let liquidation = try BinanceMarketStreamParser.parse(try fixture("ws_market_forceOrder.json"), receivedAt: received)
        #expect(liquidation == .liquidation("BTCUSDT", side: .sell, price: Price(units: 9910), quantity: Quantity("0.014")!,
                                            time: Timestamp(milliseconds: 1_568_014_460_893)))
    }

    /// The docs' kline example with its open moved inside its low…high range.
    static func consistentKline() throws -> [UInt8] {
        Array(String(decoding: try fixture("ws_market_kline.json"), as: UTF8.self)
            .replacingOccurrences(of: "\"o\": \"0.0010\"", with: "\"o\": \"0.0018\"").utf8)
    }

    @Test func closedKlineBecomesACandleAndCombinedStreamsUnwrap() throws {
        var text = String(decoding: try Self.consistentKline(), as: UTF8.self)
        text = text.replacingOccurrences(of: "\"x\": false", with: "\"x\": true")
        let wrapped = Array(#"{"stream":"btcusdt@kline_1m","data":\#(text)}"#.utf8)
        let message = try BinanceMarketStreamParser.parse(wrapped, receivedAt: received)
        guard case .candle(let symbol, let candle, let interval)? = message.marketEvent else { Issue.record("closed kline not a candle"); return }
        #expect(symbol == "BTCUSDT" && interval == .seconds(60) && candle.openTime == Timestamp(milliseconds: 1_638_747_660_000))
        #expect(try BinanceMarketStreamParser.parse(Array(#"{"result":null,"id":1}"#.utf8), receivedAt: received) == .ignored("reply"))
    }
}

/// Decoding entry points for payload types that have no dedicated `parse`.
enum BinanceJSONTestHook {
    static func decode<T: Decodable>(_ type: T.Type, _ body: [UInt8]) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(body))
    }

    static func decodeAlgoCancel(_ body: [UInt8]) throws -> BinanceAlgoCancelResult {
        try decode(BinanceAlgoCancelResult.self, body)
    }
}
