import BinanceFutures
import LocalVenue
import Testing
import TradingEngine
import TradingModel
import TradingTestSupport

/// The real user-data runner (`BinanceUserDataStream` over `WSClientConnector`) against the
/// venue's WebSocket: listen key, connect, REST resync, events; faults driven by the controller.
struct UserStreamRun: Sendable {
    let entries = Observed<Bool>()
    let resyncs = Observed<StreamResyncStateMachine.ResyncCall>()
    let events = Observed<ExecutionEvent>()

    func runner(_ venue: VenueHarness) -> BinanceUserDataStream {
        let resyncs = self.resyncs
        let entries = self.entries
        let client = venue.client
        return BinanceUserDataStream(
            client: client, urls: venue.streamURLs, connector: WSClientConnector(logger: VenueHarness.quiet), clock: venue.clock,
            seed: 7, logger: VenueHarness.quiet,
            sleep: { duration in
                // Keep-alive timers (30 min) never fire in a test; reconnect back-off is skipped.
                if duration >= .seconds(30 * 60) {
                    await suspendUntilCancelled()
                    throw CancellationError()
                }
            },
            performResync: { call in
                do {
                    switch call {
                    case .openOrders, .openAlgoOrders: _ = try await client.openOrders(symbol: nil)
                    case .positions: _ = try await client.positions()
                    case .account: _ = try await client.account()
                    }
                    resyncs.append(call)
                    return true
                } catch {
                    return false
                }
            },
            setEntriesAllowed: { entries.append($0) })
    }

    /// Runs the stream while `body` acts; returns when `body` does.
    func with(_ venue: VenueHarness, _ body: @Sendable () async throws -> Void) async throws {
        let runner = runner(venue)
        let events = self.events
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await runner.run() }
            group.addTask { for await event in venue.client.executionEvents() { events.append(event) } }
            try await body()
            group.cancelAll()
        }
    }

    /// Waits until the stream is connected and resynced `connections` times (entries allowed).
    func waitInSync(_ venue: VenueHarness, connections: Int) async {
        await venue.controller.waitUntil { $0.userStreamsOpened >= connections && $0.openUserStreams >= 1 }
        await entries.wait { $0.last == true && $0.filter { $0 }.count >= connections }
    }

    func fills(of id: String) -> [Fill] { UserStreamRun.fills(of: id, in: events.values) }

    /// Fills of client id `id` in `values` (usable inside a `Observed.wait` condition).
    static func fills(of id: String, in values: [ExecutionEvent]) -> [Fill] {
        values.compactMap { if case .filled(let fill) = $0, fill.clientOrderID.value == id { fill } else { nil } }
    }
}

@Suite("Local venue: WebSocket streams and their faults")
struct VenueStreamTests {
    @Test(.timeLimit(.minutes(5))) func userDataStreamDeliversAcceptanceAndFill() async throws {
        try await VenueHarness.run { venue async throws in
            let stream = UserStreamRun()
            try await stream.with(venue) {
                await stream.waitInSync(venue, connections: 1)
                _ = try await venue.client.submit(venue.order("qt-entry-20", .buy, .market, quantity: "0.010"))
                // ORDER_TRADE_UPDATE (fill) comes before ACCOUNT_UPDATE (position): wait for the last.
                await stream.events.wait { values in values.contains { if case .positionChanged = $0 { true } else { false } } }
            }
            let id = ClientOrderID("qt-entry-20")!
            #expect(stream.events.values.first == .accepted(id, symbol: VenueHarness.symbol, venueOrderID: "8000000001", time: VenueHarness.start))
            let fills = stream.fills(of: "qt-entry-20")
            #expect(fills.map(\.quantity) == [Quantity("0.010")!])
            #expect(fills.first?.price == Price("50000")!)
            #expect(fills.first?.fee == Money("0.25")!)  // 500 USDT × 0.05%
            #expect(stream.events.values.contains(.positionChanged(symbol: VenueHarness.symbol, signedQuantity: Quantity("0.010")!, time: VenueHarness.start)))
            #expect(Set(stream.resyncs.values) == Set(StreamResyncStateMachine.ResyncCall.allCases))
        }
    }

    /// A triggered close-position stop arrives as ALGO_UPDATE TRIGGERED (with the engine order
    /// id), the engine order's fill, then FINISHED: the engine sees `triggered` then the fill,
    /// both under the stop's client id.
    @Test(.timeLimit(.minutes(5))) func triggeredStopIsReportedUnderTheStopsClientID() async throws {
        try await VenueHarness.run { venue async throws in
            let stream = UserStreamRun()
            try await stream.with(venue) {
                await stream.waitInSync(venue, connections: 1)
                _ = try await venue.client.submit(venue.order("qt-entry-21", .buy, .market, quantity: "0.010"))
                _ = try await venue.client.submit(venue.order("qt-stop-21", .sell, .stopMarket, quantity: nil, trigger: "49500.0", closePosition: true))
                venue.step(3)  // 50100, 49900, 49000 → triggers
                await stream.events.wait { !UserStreamRun.fills(of: "qt-stop-21", in: $0).isEmpty }
            }
            let stopID = ClientOrderID("qt-stop-21")!
            let names = stream.events.values.compactMap { event -> String? in
                switch event {
                case .triggered(let id, _, _) where id == stopID: "triggered"
                case .filled(let fill) where fill.clientOrderID == stopID: "filled"
                default: nil
                }
            }
            #expect(names == ["triggered", "filled"])
            #expect(stream.fills(of: "qt-stop-21").first?.price == Price("49000")!)
            #expect(stream.fills(of: "qt-stop-21").first?.quantity == Quantity("0.010")!)
        }
    }

    /// Listen key expiry: `listenKeyExpired`, the socket closes, the runner creates a new key,
    /// reconnects, holds entries and resyncs every view over REST before allowing entries again.
    @Test(.timeLimit(.minutes(5))) func expiredListenKeyLeadsToANewKeyReconnectAndRESTResync() async throws {
        try await VenueHarness.run { venue async throws in
            let stream = UserStreamRun()
            try await stream.with(venue) {
                await stream.waitInSync(venue, connections: 1)
                venue.controller.expireListenKeys()
                await stream.waitInSync(venue, connections: 2)
                _ = try await venue.client.submit(venue.order("qt-entry-22", .buy, .market, quantity: "0.010"))
                await stream.events.wait { !UserStreamRun.fills(of: "qt-entry-22", in: $0).isEmpty }
            }
            let keyPosts = venue.posts("/fapi/v1/listenKey")
            #expect(keyPosts.count == 2)
            #expect(stream.entries.values == [false, true, false, true])
            #expect(stream.resyncs.values.count == 8)  // four REST reads after each connect
            #expect(Set(stream.resyncs.values.suffix(4)) == Set(StreamResyncStateMachine.ResyncCall.allCases))
        }
    }

    /// A dropped socket (listen key still valid): reconnect with the same key, resync, events flow again.
    @Test(.timeLimit(.minutes(5))) func droppedUserStreamReconnectsAndResyncs() async throws {
        try await VenueHarness.run { venue async throws in
            let stream = UserStreamRun()
            try await stream.with(venue) {
                await stream.waitInSync(venue, connections: 1)
                venue.controller.dropUserDataStreams()
                await stream.waitInSync(venue, connections: 2)
                _ = try await venue.client.submit(venue.order("qt-entry-23", .buy, .market, quantity: "0.010"))
                await stream.events.wait { !UserStreamRun.fills(of: "qt-entry-23", in: $0).isEmpty }
            }
            #expect(venue.controller.observation.userStreamsOpened == 2)
            #expect(stream.entries.values == [false, true, false, true])
            #expect(stream.resyncs.values.count == 8)
        }
    }

    /// Partial fills: the venue reports one fill in two parts (PARTIALLY_FILLED, FILLED); the
    /// engine gets two fills that add up, fees split to the last unit.
    @Test(.timeLimit(.minutes(5))) func partialFillsArriveAsSeparateFills() async throws {
        try await VenueHarness.run { venue async throws in
            let stream = UserStreamRun()
            try await stream.with(venue) {
                await stream.waitInSync(venue, connections: 1)
                venue.controller.splitNextFill(into: 2)
                _ = try await venue.client.submit(venue.order("qt-entry-24", .buy, .market, quantity: "0.011"))
                await stream.events.wait { UserStreamRun.fills(of: "qt-entry-24", in: $0).count == 2 }
            }
            let fills = stream.fills(of: "qt-entry-24")
            // 0.011 in two parts on the 0.001 step: 0.005 + 0.006. Fee 50000 × 0.011 × 0.05% = 0.275:
            // first part 0.275 × 5/11 = 0.125, the last takes the rest 0.15.
            #expect(fills.map(\.quantity) == [Quantity("0.005")!, Quantity("0.006")!])
            #expect(fills.map(\.fee) == [Money("0.125")!, Money("0.15")!])
            let order = try await venue.client.order(ClientOrderID("qt-entry-24")!, symbol: VenueHarness.symbol)
            #expect(order.status == .filled)
            #expect(order.filledQuantity == Quantity("0.011")!)
        }
    }

    /// Delayed user-data events: REST already shows the fill while the stream is silent; the
    /// fill arrives when the venue releases the held events.
    @Test(.timeLimit(.minutes(5))) func delayedUserDataArrivesAfterRelease() async throws {
        try await VenueHarness.run { venue async throws in
            let stream = UserStreamRun()
            try await stream.with(venue) {
                await stream.waitInSync(venue, connections: 1)
                let delivered = venue.controller.observation.userMessagesDelivered
                venue.controller.holdUserData()
                let snapshot = try await venue.client.submit(venue.order("qt-entry-25", .buy, .market, quantity: "0.010"))
                #expect(snapshot.status == .filled)
                #expect(venue.controller.observation.userMessagesDelivered == delivered)
                #expect(stream.fills(of: "qt-entry-25").isEmpty)
                venue.controller.releaseUserData()
                await stream.events.wait { !UserStreamRun.fills(of: "qt-entry-25", in: $0).isEmpty }
            }
            #expect(stream.fills(of: "qt-entry-25").count == 1)
        }
    }

    /// The market feed (`BinanceMarketDataFeed`) on the venue's combined stream: each step
    /// publishes mark price, trade and closed 1 m kline; a dropped socket is reconnected.
    @Test(.timeLimit(.minutes(5))) func marketFeedDeliversEventsAndReconnectsAfterADrop() async throws {
        try await VenueHarness.run { venue async throws in
            let feed = BinanceMarketDataFeed(urls: venue.streamURLs, connector: WSClientConnector(logger: VenueHarness.quiet),
                                             clock: venue.clock, seed: 3, logger: VenueHarness.quiet,
                                             sleep: { duration in
                                                 if duration >= .seconds(3600) {
                                                     await suspendUntilCancelled()
                                                     throw CancellationError()
                                                 }
                                             })
            let received = Observed<MarketEvent>()
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await feed.run(symbols: [VenueHarness.symbol]) { received.append($0) } }
                await venue.controller.waitUntil { $0.openMarketStreams == 1 }
                venue.step()  // 50100
                await received.wait { $0.count >= 3 }
                venue.controller.dropMarketStreams()
                await venue.controller.waitUntil { $0.marketStreamsOpened == 2 && $0.openMarketStreams == 1 }
                venue.step()  // 49900
                await received.wait { $0.count >= 6 }
                group.cancelAll()
            }
            let marks = received.values.compactMap { if case .markPrice(let mark) = $0 { mark.price } else { nil } }
            #expect(marks == [Price("50100")!, Price("49900")!])
            let closes = received.values.compactMap { if case .candle(_, let candle, _) = $0 { candle.close } else { nil } }
            #expect(closes == [Price("50100")!, Price("49900")!])
            let trades = received.values.compactMap { if case .trade(let trade) = $0 { trade.price } else { nil } }
            #expect(trades == [Price("50100")!, Price("49900")!])
        }
    }
}
