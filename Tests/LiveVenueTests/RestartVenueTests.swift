import LocalVenue
import Testing
import TraderApp
import TradingEngine
import TradingModel
import Storage
import TradingTestSupport

/// A process restarted on the same store and account takes its position back where it was.
@Suite("Live path against the local venue: restarts and existing positions")
struct RestartVenueTests {
    @Test("A restart keeps the stop where it was: after TP1 and the break-even move the bot restarts; the restored owner keeps the moved stop and the harvested target, and stops out there",
          .timeLimit(.minutes(5)))
    func restartKeepsTheMovedStop() async throws {
        try await VenueLiveHarness.run(prices: KillRestartTests.prices) { venue in
            let first = try venue.startBot()
            await venue.waitUntilTrading(first)
            // Entry at 2.224, then 2.214 and 2.200 (TP1: 133.80 harvested, stop to break-even).
            for _ in 0..<4 {
                await venue.stepAndWaitForMark(first)
                await venue.eventually(first) { KillRestartTests.settled(venue, first) }
            }
            #expect(venue.venuePosition?.quantity == Quantity("312.23")!)
            let moved = try #require(first.latestState.value?.positions.first)
            let movedStop = try #require(moved.stopPrice)
            #expect(movedStop < Price("2.250")! && moved.targetPrices.count == 2)
            let firstRun = try #require(first.runID.value)
            _ = try await first.stop()
            #expect(try first.store.exitStates(runID: firstRun).count == 1)

            let second = try venue.startBot()
            await venue.waitUntilTrading(second)
            await venue.eventually(second) { KillRestartTests.settled(venue, second) }
            let restored = try #require(second.latestState.value?.positions.first)
            #expect(restored.stopPrice == movedStop, "re-planned instead of restored")
            #expect(restored.targetPrices == moved.targetPrices)
            #expect(venue.venueIsProtected && venue.restingBackstops.first?.triggerPrice == moved.backstopPrice)
            // Only live states remain: the first run's state was superseded.
            #expect(try second.store.exitStates(runID: firstRun).isEmpty)
            #expect(try second.store.exitStates(runID: second.runID.value ?? -1).count == 1)
            await KillRestartTests.drive(venue, second)
            let summary = try await second.stop()
            #expect(venue.venuePosition == nil && venue.venueOpenOrders.isEmpty)
            #expect(summary.trades.first?.quantity == Quantity("312.23")!)
        }
    }

    @Test("Existing positions in cross margin are protected, not refused: started, adopted with a backstop, entries wait until flat, then ISOLATED",
          .timeLimit(.minutes(5)))
    func crossMarginPositionProtected() async throws {
        try await VenueLiveHarness.run(prices: ["2.224", "2.224", "2.300", "2.300", "2.300"]) { venue in
            #expect(venue.controller.marginType(of: VenueLiveHarness.symbol) == "CROSSED")
            venue.controller.placeManualMarketOrder(symbol: VenueLiveHarness.symbol, side: .sell, quantity: Quantity(units: 100))
            let bot = try venue.startBot(strategy: ShortOnceStrategy(everyBar: true))
            await venue.waitUntilTrading(bot)
            #expect(!bot.transport.killed)
            await venue.eventually(bot) { KillRestartTests.settled(venue, bot) }
            #expect(venue.venueIsProtected && venue.restingBackstops.first?.side == .buy)
            #expect(venue.controller.marginType(of: VenueLiveHarness.symbol) == "CROSSED")
            let runID = try #require(bot.runID.value)
            #expect(try bot.store.alerts(runID: runID).contains { $0.alert.kind == "runtime.cross_margin_position" })
            // 2.300 crosses the adopted position's stop (2.250): closed; a signal meanwhile is not entered.
            await venue.stepAndWaitForMark(bot)
            await venue.stepAndWaitForMark(bot)
            await venue.eventually(bot) { venue.venuePosition == nil && venue.venueOpenOrders.isEmpty && KillRestartTests.settled(venue, bot) }
            await venue.stepAndWaitForMark(bot)  // a closed bar while flat: SHORT signal
            await venue.stepAndWaitForMark(bot)  // its entry waits: still in cross margin
            await venue.eventually(bot) { KillRestartTests.settled(venue, bot) }
            #expect(venue.venueEntries.isEmpty)
            #expect(try bot.store.decisions(runID: runID).contains { !$0.approved && $0.reasons.joined().contains("cross margin") })
            // Flat: the next timer tick switches the symbol to isolated margin; entries allowed again.
            await venue.advanceAndTick(bot, by: .seconds(1))
            #expect(venue.controller.marginType(of: VenueLiveHarness.symbol) == "ISOLATED")
            #expect(try bot.store.alerts(runID: runID).contains { $0.alert.kind == "runtime.isolated_margin_set" })
            _ = try await bot.stop()
        }
    }
}
