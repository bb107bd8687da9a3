import LocalVenue
import Testing
import TraderApp
import TradingEngine
import TradingModel
import Backtest
import Storage
import TradingTestSupport

/// Binance does not replay user-data events lost while the stream was down: after the resync the
/// bot compares what it booked with the venue and books what it missed from the trade history.
@Suite("Live path against the local venue: user-data outages")
struct UserDataOutageVenueTests {
    static func resyncs(_ bot: BotProcess) -> Int { bot.handled.values.filter { $0 == .venueStreamInSync(true) }.count }

    @Test("Missed user-data events leave no phantom positions: the backstop fires during a user-data outage; after the resync the trade is booked from the venue's trade history (reason backstop)",
          .timeLimit(.minutes(5)))
    func backstopFiresDuringOutage() async throws {
        try await VenueLiveHarness.run(prices: ["2.224", "2.224", "2.224", "2.240", "2.262", "2.262"]) { venue in
            let bot = try venue.startBot()
            await venue.waitUntilTrading(bot)
            await venue.stepAndWaitForMark(bot)
            await venue.stepAndWaitForMark(bot)
            await venue.eventually(bot) { venue.venuePosition != nil && KillRestartTests.settled(venue, bot) }
            let backstop = try #require(venue.restingBackstops.first)
            // The outage: the socket drops and every user-data message from now on is lost.
            let before = Self.resyncs(bot)
            venue.controller.beginUserDataOutage()
            await venue.eventually(bot) { Self.resyncs(bot) > before }
            await venue.stepAndWaitForMark(bot)  // 2.240
            await venue.stepAndWaitForMark(bot)  // 2.262: the backstop (2.256) fires at the venue; nobody hears it
            #expect(venue.venuePosition == nil && venue.venueOpenOrders.isEmpty)
            #expect(venue.controller.observation.userMessagesLost > 0)
            #expect(await bot.runtime.value?.openPositions.count == 1, "the bot still believes the short is open")
            // The outage ends: reconnect, resync, reconciliation books the backstop's fill.
            let resynced = Self.resyncs(bot)
            venue.controller.endUserDataOutage()
            await venue.eventually(bot) { Self.resyncs(bot) > resynced }
            let runtime = try #require(bot.runtime.value)
            #expect(await runtime.openPositions.isEmpty, "phantom position")
            let summary = try await bot.stop()
            let trade = try #require(summary.trades.first)
            #expect(summary.trades.count == 1 && trade.exitReason == .backstop && trade.quantity == Quantity("446.03")!)
            // No lost fill: the backstop's execution is stored under its client id.
            #expect(VenueLiveHarness.filled(bot.storeFills) == venue.venueFilled)
            #expect(bot.storeFills.contains { $0.clientOrderID == backstop.clientOrderID })
            // The booked trade agrees with the venue's wallet (the daily-loss limit sees the real loss).
            #expect(venue.controller.inspect { $0.exchange.ledger.walletBalance } == Money(units: 10_000) + trade.netPnL)
            #expect(try bot.store.trades(runID: bot.runID.value ?? -1).map(\.exitReason) == ["backstop"])
        }
    }

    @Test("An entry that fills while its report is lost (user-data outage) is booked from the venue's trade history under its own id at the resync: real price and fee, its owner protects it, not adopted as a stranger's",
          .timeLimit(.minutes(5)))
    func entryFillLostDuringOutage() async throws {
        try await VenueLiveHarness.run(prices: ["2.224", "2.224", "2.224", "2.224"]) { venue in
            let bot = try venue.startBot()
            await venue.waitUntilTrading(bot)
            // The outage begins before the entry: the bot reconnects and resyncs, then every
            // user-data message is lost (the bot cannot tell).
            let before = Self.resyncs(bot)
            venue.controller.beginUserDataOutage()
            await venue.eventually(bot) { Self.resyncs(bot) > before }
            let isEntryAnswer: @Sendable (RuntimeInput) -> Bool = { input in
                if case .orderOutcome(.submitted(let order, _)) = input { order.clientOrderID.value.hasSuffix("-en") } else { false }
            }
            while !bot.hasHandled(isEntryAnswer), venue.controller.remainingPoints > 0 {
                await venue.stepAndWaitForMark(bot)
                await venue.eventually(bot) { bot.hasHandled(isEntryAnswer) || !bot.lanesBusy.value }
            }
            await venue.eventually(bot) { bot.hasHandled(isEntryAnswer) && !bot.lanesBusy.value }
            let entryID = try #require(venue.venueEntries.first)
            #expect(venue.venuePosition?.quantity == Quantity("446.03")! && venue.venueOpenOrders.isEmpty, "filled at the venue, no backstop yet")
            #expect(!bot.hasHandled { if case .execution(.filled) = $0 { true } else { false } }, "the fill's report was lost")
            #expect(await bot.runtime.value?.openPositions.isEmpty == true)
            // The outage ends: reconnect, resync; the reconciliation books the entry's execution.
            let resynced = Self.resyncs(bot)
            venue.controller.endUserDataOutage()
            await venue.eventually(bot) { Self.resyncs(bot) > resynced && venue.venueIsProtected && !bot.lanesBusy.value && bot.latestState.value?.positions.first?.backstopPrice != nil }
            let runtime = try #require(bot.runtime.value)
            let position = try #require(await runtime.openPositions.first)
            #expect(position.side == .short && position.quantity == Quantity("446.03")! && position.entryPrice == Price("2.224")!)
            #expect(await runtime.hasOwner(VenueLiveHarness.symbol))
            #expect(venue.restingBackstops.count == 1)
            let entryFill = try #require(bot.storeFills.first { $0.clientOrderID.value == entryID })
            // Taker fee 0.05 %: 446.03 × 2.224 × 0.0005 = 0.49598536 USDT.
            #expect(entryFill.price == Price("2.224")! && entryFill.quantity == Quantity("446.03")! && entryFill.fee == Money("0.49598536")!)
            #expect(VenueLiveHarness.filled(bot.storeFills) == venue.venueFilled)
            let alerts = try bot.store.alerts(runID: bot.runID.value ?? -1).map(\.alert)
            #expect(!alerts.contains { $0.kind == "reconcile.adopted" }, "\(alerts.map(\.kind))")
            #expect(alerts.contains { $0.kind == "reconcile.fill_booked_from_history" })
            _ = try await bot.stop()
        }
    }

    @Test("A session longer than the venue's 60-minute listen-key validity keeps its key alive (keep-alive every 30 minutes of venue time): no expiry, no reconnect, no lost report",
          .timeLimit(.minutes(5)))
    func listenKeyKeptAliveOverTwoHours() async throws {
        try await VenueLiveHarness.run(prices: Array(repeating: "2.224", count: 121)) { venue in
            let bot = try venue.startBot(strategy: ShortOnceStrategy(silent: true))
            await venue.waitUntilTrading(bot)
            while venue.controller.remainingPoints > 0 { await venue.stepAndWaitForMark(bot) }
            // 120 minutes of venue time: keep-alives fell due at 30, 60 and 90 minutes (and 120).
            let keepAlives: @Sendable () -> [VenueRequestRecord] = {
                venue.controller.requests.filter { $0.method == "PUT" && $0.path == "/fapi/v1/listenKey" }
            }
            await venue.eventually(bot) { keepAlives().count >= 3 || venue.controller.observation.userStreamsOpened > 1 }
            #expect(keepAlives().allSatisfy { $0.status == 200 })
            #expect(venue.controller.observation.userStreamsOpened == 1, "the key expired and the stream reconnected")
            #expect(Self.resyncs(bot) == 1)
            _ = try await bot.stop()
        }
    }

    @Test("A user-data message that fails to parse is treated as a gap: alerted CRITICAL, entries held, reconciled; never dropped silently",
          .timeLimit(.minutes(5)))
    func unreadableMessageIsAGap() async throws {
        try await VenueLiveHarness.run(prices: ["2.224", "2.224"]) { venue in
            let bot = try venue.startBot(strategy: ShortOnceStrategy(silent: true))
            await venue.waitUntilTrading(bot)
            let reads = venue.controller.requests.filter { $0.path == "/fapi/v3/positionRisk" }.count
            let isRead: @Sendable (RuntimeInput) -> Bool = { if case .orderOutcome(.venueRead) = $0 { true } else { false } }
            let readsHandled = bot.handled.values.filter(isRead).count
            venue.controller.sendRawUserData(#"{"e":"ORDER_TRADE_UPDATE","E":1767571200000,"o":{"s":"ATOMUSDT""#)
            await venue.eventually(bot) {
                bot.handled.values.filter(isRead).count > readsHandled && KillRestartTests.settled(venue, bot)
            }
            #expect(bot.hasHandled { if case .venueMessageDropped(let dropped) = $0 { dropped.stream == .userData } else { false } })
            #expect(venue.controller.requests.filter { $0.path == "/fapi/v3/positionRisk" }.count > reads, "the venue was read again")
            _ = try await bot.stop()
            let alerts = try bot.store.alerts(runID: bot.runID.value ?? -1).map(\.alert)
            #expect(alerts.contains { $0.kind == "venue.message_dropped" && $0.severity == .critical })
            #expect(alerts.filter { $0.kind == "reconcile.done" }.count >= 2)
        }
    }
}
