import LocalVenue
import Testing
import TraderApp
import TradingEngine
import TradingModel
import Storage
import TradingTestSupport

/// The account holds things the bot did not open: a position and a stop in a symbol outside
/// `--symbols`, a manual order from the venue's UI in the traded symbol, a position flipped by hand.
@Suite("Live path against the local venue: foreign positions and manual orders")
struct ForeignStateVenueTests {
    /// A LINKUSDT long of 10 at 15.00 with a close-position stop at 14.00, placed by hand.
    static func openForeignPosition(_ venue: VenueLiveHarness) throws {
        venue.controller.setPrice(Price("15.00")!, symbol: VenueLiveHarness.foreignSymbol)
        let order = venue.controller.placeManualMarketOrder(symbol: VenueLiveHarness.foreignSymbol, side: .buy, quantity: Quantity(units: 10))
        #expect(order.status == 200)
        let stop = venue.controller.placeManualOrder(["symbol": "LINKUSDT", "side": "SELL", "type": "STOP_MARKET", "triggerPrice": "14.000",
                                                      "closePosition": "true", "workingType": "MARK_PRICE"], path: "/fapi/v1/algoOrder")
        #expect(stop.status == 200)
        #expect(venue.foreignPosition?.quantity == Quantity(units: 10) && venue.foreignOpenOrders.count == 1)
    }

    /// No REST call of the bot named the foreign symbol except reads.
    static func writes(for symbol: Symbol, _ venue: VenueLiveHarness) -> [String] {
        venue.controller.requests.filter { $0.method != "GET" && $0.parameters["symbol"] == symbol.name }.map { "\($0.method) \($0.path)" }
    }

    @Test("Reconciliation only touches what this run owns: a LINKUSDT position and its stop outside --symbols are reported and alerted, never closed or cancelled (start and restart)",
          .timeLimit(.minutes(5)))
    func reconciliationOnlyTouchesWhatThisRunOwns() async throws {
        try await VenueLiveHarness.run(prices: ["2.224", "2.224", "2.224", "2.240", "2.2507", "2.262"]) { venue in
            try Self.openForeignPosition(venue)
            let bot = try venue.startBot()
            await venue.waitUntilTrading(bot)
            #expect(!bot.transport.killed)
            // The bot trades its own symbol through to the stop, beside the foreign position.
            await KillRestartTests.drive(venue, bot)
            let summary = try await bot.stop()
            #expect(summary.trades.map(\.exitReason) == [.stopLoss])
            // A restart (as with fewer symbols than before) leaves it alone too.
            let second = try venue.startBot(strategy: ShortOnceStrategy(silent: true))
            await venue.waitUntilTrading(second)
            _ = try await second.stop()

            #expect(venue.foreignPosition?.quantity == Quantity(units: 10), "the foreign position was touched")
            #expect(venue.foreignOpenOrders.count == 1 && venue.foreignOpenOrders.first?.closePosition == true, "the foreign stop was cancelled")
            #expect(Self.writes(for: VenueLiveHarness.foreignSymbol, venue).isEmpty, "\(Self.writes(for: VenueLiveHarness.foreignSymbol, venue))")
            for process in [bot, second] {
                let alerts = try process.store.alerts(runID: process.runID.value ?? -1).map(\.alert)
                #expect(alerts.contains { $0.kind == "reconcile.foreign" && $0.symbol == VenueLiveHarness.foreignSymbol && $0.severity == .warning })
                #expect(process.criticalAlerts.isEmpty, "\(process.criticalAlerts)")
            }
        }
    }

    @Test("A fill the kernel did not ask for never crashes the bot: a manual UI order on the traded symbol while flat is adopted with a backstop",
          .timeLimit(.minutes(5)))
    func unrequestedFillIsAdopted() async throws {
        try await VenueLiveHarness.run(prices: ["2.224", "2.224", "2.224"]) { venue in
            let bot = try venue.startBot(strategy: ShortOnceStrategy(silent: true))
            await venue.waitUntilTrading(bot)
            venue.controller.placeManualMarketOrder(symbol: VenueLiveHarness.symbol, side: .sell, quantity: Quantity(units: 100))
            await venue.eventually(bot) { venue.restingBackstops.count == 1 && bot.hasHandled { input in
                if case .execution(.accepted(let id, _, _, _)) = input { id.value.hasSuffix("-bs") } else { false } } }
            #expect(venue.venuePosition?.side == .short && venue.venuePosition?.quantity == Quantity(units: 100))
            #expect(venue.restingBackstops.first?.side == .buy)
            // A user-data reconnect (a reconciliation) afterwards changes nothing.
            let resyncs = bot.handled.values.filter { $0 == .venueStreamInSync(true) }.count
            venue.controller.dropUserDataStreams()
            await venue.eventually(bot) { bot.handled.values.filter { $0 == .venueStreamInSync(true) }.count > resyncs }
            #expect(venue.venueIsProtected)
            let runtime = try #require(bot.runtime.value)
            #expect(await runtime.hasOwner(VenueLiveHarness.symbol))
            #expect(await runtime.openPositions.map(\.quantity) == [Quantity(units: 100)])
            _ = try await bot.stop()
        }
    }

    @Test("A position flipped by hand: the old owner finishes, the new side is adopted and protected (no crash)", .timeLimit(.minutes(5)))
    func positionFlippedByHandIsAdopted() async throws {
        try await VenueLiveHarness.run(prices: ["2.224", "2.224", "2.224", "2.226", "2.228"]) { venue in
            let bot = try venue.startBot()
            await venue.waitUntilTrading(bot)
            await venue.stepAndWaitForMark(bot)
            await venue.stepAndWaitForMark(bot)
            await venue.eventually(bot) { venue.venuePosition != nil && KillRestartTests.settled(venue, bot) }
            venue.controller.placeManualMarketOrder(symbol: VenueLiveHarness.symbol, side: .buy, quantity: Quantity("892.06")!)
            await venue.eventually(bot) {
                venue.venuePosition?.side == .long && venue.venueIsProtected && venue.restingBackstops.first?.side == .sell
                    && bot.hasHandled { input in
                        if case .execution(.accepted(let id, _, _, _)) = input {
                            id.value == venue.restingBackstops.first?.clientOrderID.value
                        } else { false }
                    }
            }
            await venue.stepAndWaitForMark(bot)
            #expect(venue.venueIsProtected)
            let summary = try await bot.stop()
            #expect(summary.trades.count == 1 && summary.trades.first?.exitReason == .external)
            #expect(summary.openPositions.map(\.side) == [.long] && summary.openPositions.map(\.quantity) == [Quantity("446.03")!])
        }
    }
}
