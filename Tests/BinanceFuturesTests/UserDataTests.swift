import BinanceFutures
import Testing
import TradingEngine
import TradingModel

@Suite("User data stream")
struct UserDataTests {
    let received = Timestamp(milliseconds: 1_770_000_000_000)

    @Test func orderTradeUpdateNewBecomesAccepted() throws {
        let event = try BinanceUserDataParser.parse(try fixture("ws_user_ORDER_TRADE_UPDATE_new.json"), receivedAt: received)
        guard case .orderUpdate(let update) = event else { Issue.record("not an order update"); return }
        #expect(update.symbol == "BTCUSDT" && update.clientOrderID == "TEST" && update.orderID == 8_886_774)
        #expect(update.executionType == "NEW" && update.orderType == "TRAILING_STOP_MARKET" && update.quantity == Quantity("0.001")!)
        // A conditional-type order outside the Algo API (legacy docs example) has no ALGO_UPDATE link:
        // held, then released under its own id at resync.
        var translator = UserDataTranslator()
        #expect(translator.translate(event).events.isEmpty)
        #expect(translator.heldUpdates[8_886_774]?.count == 1)
        #expect(translator.releaseUnlinked().events == [.accepted(ClientOrderID("TEST")!, symbol: "BTCUSDT", venueOrderID: "8886774",
                                                                  time: Timestamp(milliseconds: 1_568_879_465_651))])
        #expect(translator.heldUpdates.isEmpty)
    }

    /// The triggered order's fill overtakes the ALGO_UPDATE: held, then reported under the stop's id after the trigger.
    @Test func fillBeforeTriggerIsHeldUntilLinked() throws {
        var translator = UserDataTranslator()
        let fill = #"{"e":"ORDER_TRADE_UPDATE","E":1765431097040,"T":1765431097035,"o":{"s":"DOGEUSDT","c":"x-engine-7","S":"BUY","o":"MARKET","ot":"STOP_MARKET","q":"38","ap":"0.13856","x":"TRADE","X":"FILLED","i":88937381063,"l":"38","z":"38","L":"0.13856","N":"USDT","n":"0.00210611","T":1765431097035,"t":9,"m":false,"R":false,"rp":"0"}}"#
        #expect(translator.translate(try BinanceUserDataParser.parse(Array(fill.utf8), receivedAt: received)).events.isEmpty)
        let triggered = try BinanceUserDataParser.parse(try fixture("ws_user_ALGO_UPDATE_triggered_capture.json"), receivedAt: received)
        let events = translator.translate(triggered).events
        let stopID = ClientOrderID("O-20251211-053131-TEST-000-1")!
        #expect(events.count == 2)
        #expect(events.first == .triggered(stopID, symbol: "DOGEUSDT", time: Timestamp(milliseconds: 1_765_431_097_030)))
        guard case .filled(let filled)? = events.last else { Issue.record("no fill released"); return }
        #expect(filled.clientOrderID == stopID && filled.quantity == Quantity(units: 38))
        #expect(translator.heldUpdates.isEmpty)
    }

    @Test func tradeExecutionBecomesAFillWithFixedPointValues() throws {
        let json = #"{"e":"ORDER_TRADE_UPDATE","E":1700000000100,"T":1700000000099,"o":{"s":"ATOMUSDT","c":"qt-r1-7-sl","S":"SELL","o":"MARKET","f":"GTC","q":"12.50","p":"0","ap":"9.871","sp":"0","x":"TRADE","X":"FILLED","i":555,"l":"12.50","z":"12.50","L":"9.871","N":"USDT","n":"0.04935500","T":1700000000098,"t":42,"b":"0","a":"0","m":false,"R":true,"wt":"MARK_PRICE","ot":"MARKET","ps":"BOTH","cp":false,"rp":"-1.25000000","V":"NONE"}}"#
        var translator = UserDataTranslator()
        let (events, _) = translator.translate(try BinanceUserDataParser.parse(Array(json.utf8), receivedAt: received))
        // fee 0.049355 = 12.50 × 9.871 × 0.0004 (taker), as sent by the venue
        #expect(events == [.filled(Fill(clientOrderID: ClientOrderID("qt-r1-7-sl")!, symbol: "ATOMUSDT", side: .sell, price: Price("9.871")!,
                                        quantity: Quantity("12.5")!, fee: Money("0.049355")!, liquidity: .taker,
                                        time: Timestamp(milliseconds: 1_700_000_000_098), venueTradeID: 42))])
    }

    @Test func accountUpdateYieldsOneWayPositions() throws {
        let event = try BinanceUserDataParser.parse(try fixture("ws_user_ACCOUNT_UPDATE.json"), receivedAt: received)
        guard case .accountUpdate(let update) = event else { Issue.record("not an account update"); return }
        #expect(update.reason == "ORDER" && update.balances[0].walletBalance == Money("122624.12345678")!)
        #expect(update.positions.count == 3 && update.positions[2].signedQuantity == Quantity(units: -10))
        #expect(update.positions[1].isolatedWallet == Money("13200.70726908")!)
        var translator = UserDataTranslator()
        let (events, notes) = translator.translate(event)
        #expect(events == [.positionChanged(symbol: "BTCUSDT", signedQuantity: .zero, time: Timestamp(milliseconds: 1_564_745_798_939))])
        #expect(notes.count == 1)  // the two hedge-mode rows are reported, not applied
    }

    @Test func algoUpdatesLinkTheTriggeredOrder() throws {
        var translator = UserDataTranslator()
        let new = try BinanceUserDataParser.parse(try fixture("ws_user_ALGO_UPDATE_new.json"), receivedAt: received)
        guard case .algoUpdate(let newUpdate) = new else { Issue.record("not an algo update"); return }
        #expect(newUpdate.actualOrderID == nil && newUpdate.triggerPrice == Price(units: 750) && newUpdate.failureReason == "Reduce Only reject")
        #expect(translator.translate(new).events == [.accepted(ClientOrderID("Q5xaq5EGKgXXa0fD7fs0Ip")!, symbol: "BNBUSDT",
                                                                venueOrderID: "algo:2148719", time: Timestamp(milliseconds: 1_750_515_742_297))])

        let triggered = try BinanceUserDataParser.parse(try fixture("ws_user_ALGO_UPDATE_triggered_capture.json"), receivedAt: received)
        let stopID = ClientOrderID("O-20251211-053131-TEST-000-1")!
        #expect(translator.translate(triggered).events == [.triggered(stopID, symbol: "DOGEUSDT", time: Timestamp(milliseconds: 1_765_431_097_030))])
        #expect(translator.linkedOrders[88_937_381_063] == stopID)

        // The engine order created by the trigger fills under its own id; it is reported under the stop's id.
        let fill = #"{"e":"ORDER_TRADE_UPDATE","E":1765431097040,"T":1765431097035,"o":{"s":"DOGEUSDT","c":"autogen-by-algo","S":"BUY","o":"MARKET","q":"38","ap":"0.13856","x":"TRADE","X":"FILLED","i":88937381063,"l":"38","z":"38","L":"0.13856","N":"USDT","n":"0.00210611","T":1765431097035,"t":9,"m":false,"R":false,"rp":"0"}}"#
        let fillEvents = translator.translate(try BinanceUserDataParser.parse(Array(fill.utf8), receivedAt: received)).events
        guard case .filled(let filled)? = fillEvents.first else { Issue.record("no fill"); return }
        #expect(filled.clientOrderID == stopID && filled.quantity == Quantity(units: 38) && filled.price == Price("0.13856")!)

        let finished = try BinanceUserDataParser.parse(try fixture("ws_user_ALGO_UPDATE_finished_capture.json"), receivedAt: received)
        guard case .algoUpdate(let finishedUpdate) = finished else { Issue.record("not an algo update"); return }
        #expect(finishedUpdate.status == "FINISHED" && finishedUpdate.executedQuantity == Quantity(units: 38))
        #expect(translator.translate(finished).events.isEmpty)  // fills come from ORDER_TRADE_UPDATE
    }

    @Test(arguments: [#""1736996475556""#, "1736996475556"])
    func listenKeyExpiredAcceptsStringOrIntegerTime(_ time: String) throws {
        let json = #"{"e":"listenKeyExpired","E":\#(time),"listenKey":"abc"}"#
        #expect(try BinanceUserDataParser.parse(Array(json.utf8), receivedAt: received)
            == .listenKeyExpired(listenKey: "abc", time: Timestamp(milliseconds: 1_736_996_475_556)))
        let recorded = try BinanceUserDataParser.parse(try fixture("ws_user_listenKeyExpired.json"), receivedAt: received)
        #expect(recorded == .listenKeyExpired(listenKey: "WsCMN0a4KHUPTQuX6IUnqEZfB1inxmv1qR4kbf1LuEjur5VdbzqvyxqG9TSjVVxv",
                                              time: Timestamp(milliseconds: 1_736_996_475_556)))
    }

    @Test func unknownEventIsIgnoredWithALogLine() async throws {
        let (client, _, _, logs, _) = makeClient([])
        let event = client.handleUserDataMessage(Array(#"{"e":"STRATEGY_UPDATE","E":1,"T":1}"#.utf8), receivedAt: received)
        #expect(event == .ignored("STRATEGY_UPDATE"))
        #expect(logs.lines.contains { $0.contains("binance.user_data_event_ignored") && $0.contains("STRATEGY_UPDATE") })
    }

    @Test func clientPublishesTranslatedEvents() async throws {
        let (client, _, _, _, _) = makeClient([])
        client.handleUserDataMessage(try fixture("ws_user_ORDER_TRADE_UPDATE_new.json"), receivedAt: received)
        client.releaseHeldUserDataUpdates()
        var iterator = client.executionEvents().makeAsyncIterator()
        let first = await iterator.next()
        #expect(first == .accepted(ClientOrderID("TEST")!, symbol: "BTCUSDT", venueOrderID: "8886774", time: Timestamp(milliseconds: 1_568_879_465_651)))
    }

    @Test func aWalletOnlyAccountUpdateReachesTheRuntimeAsAWalletNotice() async throws {
        let (client, _, _, _, _) = makeClient([])
        // A withdrawal: the wallet moves, no position changes (no order report will explain it).
        let message = #"{"e":"ACCOUNT_UPDATE","E":1564745798939,"T":1564745798938,"a":{"m":"WITHDRAW","#
            + #""B":[{"a":"BNB","wb":"1.5","cw":"1.5","bc":"0"},{"a":"USDT","wb":"4900.5","cw":"4900.5","bc":"-100"}],"P":[]}}"#
        client.handleUserDataMessage(Array(message.utf8), receivedAt: received)
        // The margin call after it shows the wallet notice came first and alone.
        client.handleUserDataMessage(Array(#"{"e":"MARGIN_CALL","E":1564745799000,"cw":"3.16812045","p":[]}"#.utf8), receivedAt: received)
        var iterator = client.venueNotices().makeAsyncIterator()
        #expect(await iterator.next() == .walletChanged(walletBalance: Money("4900.5")!, reason: "WITHDRAW", time: Timestamp(milliseconds: 1_564_745_798_938)))
        #expect(await iterator.next() == .marginCall(detail: "MARGIN_CALL from the venue", time: Timestamp(milliseconds: 1_564_745_799_000)))
    }
}
