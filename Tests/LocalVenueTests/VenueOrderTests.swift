import BinanceFutures
import LocalVenue
import Testing
import TradingEngine
import TradingModel
import Backtest

@Suite("Local venue: orders through the real Binance client")
struct VenueOrderTests {
    @Test(.timeLimit(.minutes(5))) func marketOrderFillsAtThePathPriceAndShowsAsAPosition() async throws {
        try await VenueHarness.run { venue async throws in
            let snapshot = try await venue.client.submit(venue.order("qt-entry-1", .buy, .market, quantity: "0.010"))
            #expect(snapshot.status == .filled)
            #expect(snapshot.filledQuantity == Quantity("0.010")!)
            #expect(snapshot.averagePrice == Price("50000")!)
            let positions = try await venue.client.positions()
            #expect(positions.count == 1)
            #expect(positions.first?.signedQuantity == Quantity("0.010")!)
            #expect(positions.first?.entryPrice == Price("50000")!)
            // Taker fee 0.05%: 50000 × 0.010 = 500 USDT notional → 0.25 USDT; wallet 10000 − 0.25.
            let account = try await venue.client.account()
            #expect(try account.totals().wallet == Money("9999.75")!)
            let trades = try await venue.client.userTrades(symbol: VenueHarness.symbol)
            #expect(trades.count == 1)
            #expect(try trades.first?.values().commission == Money("0.25")!)
        }
    }

    @Test(.timeLimit(.minutes(5))) func limitOrderRestsIsQueriedAndCancelled() async throws {
        try await VenueHarness.run { venue async throws in
            let placed = try await venue.client.submit(venue.order("qt-limit-1", .buy, .limit, quantity: "0.010", price: "49000.0"))
            #expect(placed.status == .new)
            let open = try await venue.client.openOrders(symbol: VenueHarness.symbol)
            #expect(open.map(\.request.clientOrderID.value) == ["qt-limit-1"])
            let queried = try await venue.client.order(ClientOrderID("qt-limit-1")!, symbol: VenueHarness.symbol)
            #expect(queried.status == .new)
            #expect(queried.request.price == Price("49000")!)
            try await venue.client.cancel(ClientOrderID("qt-limit-1")!, symbol: VenueHarness.symbol)
            let cancelled = try await venue.client.order(ClientOrderID("qt-limit-1")!, symbol: VenueHarness.symbol)
            #expect(cancelled.status == .canceled)
            #expect(try await venue.client.openOrders(symbol: VenueHarness.symbol).isEmpty)
            // A second cancel is refused like Binance (-2011), not silently accepted.
            await #expect(throws: ExecutionError.self) {
                try await venue.client.cancel(ClientOrderID("qt-limit-1")!, symbol: VenueHarness.symbol)
            }
        }
    }

    @Test(.timeLimit(.minutes(5))) func limitOrderFillsWhenThePathCrossesIt() async throws {
        try await VenueHarness.run { venue async throws in
            _ = try await venue.client.submit(venue.order("qt-limit-2", .buy, .limit, quantity: "0.010", price: "49500.0"))
            venue.step()  // 50100: above the limit
            #expect(try await venue.client.order(ClientOrderID("qt-limit-2")!, symbol: VenueHarness.symbol).status == .new)
            venue.step()  // 49900
            venue.step()  // 49000: crosses 49500 → maker fill at the limit
            let filled = try await venue.client.order(ClientOrderID("qt-limit-2")!, symbol: VenueHarness.symbol)
            #expect(filled.status == .filled)
            #expect(filled.averagePrice == Price("49500")!)
        }
    }

    @Test(.timeLimit(.minutes(5))) func closePositionStopIsAnAlgoOrderAndClosesThePositionWhenTriggered() async throws {
        try await VenueHarness.run { venue async throws in
            try await venue.client.setIsolatedMargin(symbol: VenueHarness.symbol)
            try await venue.client.setLeverage(10, symbol: VenueHarness.symbol)
            _ = try await venue.client.submit(venue.order("qt-entry-2", .buy, .market, quantity: "0.010"))
            let stop = try await venue.client.submit(venue.order("qt-stop-2", .sell, .stopMarket, quantity: nil, trigger: "49500.0", closePosition: true))
            #expect(stop.status == .new)
            #expect(stop.venueOrderID?.hasPrefix("algo:") == true)
            #expect(venue.posts("/fapi/v1/algoOrder").first?.parameters["closePosition"] == "true")
            let open = try await venue.client.openOrders(symbol: VenueHarness.symbol)
            #expect(open.map(\.request.clientOrderID.value) == ["qt-stop-2"])
            venue.step()  // 50100
            venue.step()  // 49900
            venue.step()  // 49000 ≤ 49500: the stop triggers and closes the whole position
            #expect(try await venue.client.positions().isEmpty)
            let finished = try await venue.client.order(ClientOrderID("qt-stop-2")!, symbol: VenueHarness.symbol)
            #expect(finished.status == .filled)
            #expect(finished.filledQuantity == Quantity("0.010")!)
            // Loss: (49000 − 50000) × 0.010 = −10 USDT realized, in the income history.
            let income = try await venue.client.income(symbol: VenueHarness.symbol, type: "REALIZED_PNL")
            #expect(try income.map { try $0.amount } == [Money("-10")!])
        }
    }

    @Test(.timeLimit(.minutes(5))) func conditionalTypesAreRefusedOnTheRegularEndpointAndStopsThatWouldTriggerAreRejected() async throws {
        try await VenueHarness.run { venue async throws in
            _ = try await venue.client.submit(venue.order("qt-entry-3", .buy, .market, quantity: "0.010"))
            // A sell stop above the price would trigger at once: -2021.
            let error = await #expect(throws: ExecutionError.self) {
                try await venue.client.submit(venue.order("qt-stop-3", .sell, .stopMarket, quantity: nil, trigger: "50500.0", closePosition: true))
            }
            #expect(error?.code == -2021)
            // Reduce-only with no position to reduce: -2022.
            let reduce = await #expect(throws: ExecutionError.self) {
                try await venue.client.submit(venue.order("qt-exit-3", .buy, .market, quantity: "0.010", reduceOnly: true))
            }
            #expect(reduce?.code == -2022)
        }
    }

    @Test(.timeLimit(.minutes(5))) func wrongSecretIsRefusedWithInvalidSignature() async throws {
        try await VenueHarness.run(credentials: BinanceCredentials(apiKey: VenueHarness.apiKey, hmacSecret: "not-the-secret"), setUp: false) { venue async throws in
            try await venue.rest.syncServerTime()  // public: no signature
            let error = await #expect(throws: ExecutionError.self) { try await venue.client.positions() }
            #expect(error?.code == -1022)
            #expect(error?.kind == .configuration)
        }
    }

    @Test(.timeLimit(.minutes(5))) func startUpChecksPassAgainstTheVenue() async throws {
        try await VenueHarness.run { venue async throws in
            try await venue.client.verifyOneWayPositionMode()
            try await venue.client.setIsolatedMargin(symbol: VenueHarness.symbol)
            try await venue.client.setIsolatedMargin(symbol: VenueHarness.symbol)  // -4046 "no need to change" counts as success
            try await venue.client.setLeverage(5, symbol: VenueHarness.symbol)
            #expect(venue.controller.inspect { $0.exchange.leverage[0] } == 5)
            let balances = try await venue.client.balances()
            #expect(try balances.first?.amounts().balance == Money("10000")!)
        }
    }

    /// The v2 endpoints (older adapters, and what the digest documents) parse with the adapter's models.
    @Test(.timeLimit(.minutes(5))) func versionTwoEndpointsParseWithTheAdapterModels() async throws {
        try await VenueHarness.run { venue async throws in
            try await venue.client.setLeverage(8, symbol: VenueHarness.symbol)
            _ = try await venue.client.submit(venue.order("qt-entry-5", .sell, .market, quantity: "0.020"))
            let rows = try BinancePositionRisk.parse(try await venue.rest.send(.get, "/fapi/v2/positionRisk", security: .signed))
            #expect(rows.map(\.symbol) == ["BTCUSDT"])
            #expect(rows.first?.leverage == "8")
            let position = try rows.first?.snapshot()
            #expect(position?.signedQuantity == Quantity("-0.020")!)
            #expect(position?.leverage == 8)
            // Isolated margin 50000 × 0.020 / 8 = 125 USDT; wallet 10000 − fee 0.5 (1000 × 0.05%).
            #expect(position?.isolatedMargin == Money("125")!)
            let account = try BinanceAccount.parse(try await venue.rest.send(.get, "/fapi/v2/account", security: .signed))
            #expect(try account.totals().wallet == Money("9999.5")!)
            let balances = try BinanceBalance.parse(try await venue.rest.send(.get, "/fapi/v2/balance", security: .signed))
            #expect(try balances.first?.amounts().balance == Money("9999.5")!)
        }
    }

    /// The legacy user-data URL `/ws/<listenKey>` is served too; an unknown key is not upgraded.
    @Test(.timeLimit(.minutes(5))) func legacyUserDataPathConnectsWithAnActiveKeyOnly() async throws {
        try await VenueHarness.run { venue async throws in
            let key = try await venue.client.createListenKey()
            let connector = WSClientConnector(logger: VenueHarness.quiet)
            await withTaskGroup(of: Void.self) { group in
                group.addTask { try? await connector.run(url: "ws://127.0.0.1:\(venue.port)/ws/\(key)") { _ in } }
                await venue.controller.waitUntil { $0.openUserStreams == 1 }
                group.cancelAll()
            }
            let refused = await #expect(throws: (any Error).self) {
                try await connector.run(url: "ws://127.0.0.1:\(venue.port)/private/ws?listenKey=unknown") { _ in }
            }
            #expect(refused != nil)
            #expect(venue.controller.observation.userStreamsOpened == 1)
        }
    }
}
