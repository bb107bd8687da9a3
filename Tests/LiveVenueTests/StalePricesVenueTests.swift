import LocalVenue
import Testing
import TraderApp
import TradingEngine
import TradingModel
import Storage
import TradingTestSupport

@Suite("Live path against the local venue: a market stream that goes silent")
struct StalePricesVenueTests {
    @Test("Stale prices are noticed: the market stream goes silent without closing; beyond the limit the bot reconnects it (not only an alert) and reconciles",
          .timeLimit(.minutes(5)))
    func silentStreamForcesReconnect() async throws {
        try await VenueLiveHarness.run(prices: ["2.224", "2.224", "2.224", "2.226"]) { venue in
            let bot = try venue.startBot()
            await venue.waitUntilTrading(bot)
            await venue.stepAndWaitForMark(bot)
            await venue.stepAndWaitForMark(bot)
            await venue.eventually(bot) { venue.venuePosition != nil && KillRestartTests.settled(venue, bot) }
            let opened = venue.controller.observation.marketStreamsOpened
            venue.controller.muteMarketStreams(true)
            await venue.advanceAndTick(bot, by: .seconds(20))
            #expect(venue.controller.observation.marketStreamsOpened == opened)
            await venue.advanceAndTick(bot, by: .seconds(11))
            await venue.eventually(bot) { venue.controller.observation.marketStreamsOpened > opened }
            venue.controller.muteMarketStreams(false)
            await venue.eventually(bot) { bot.hasHandled { $0 == .marketStreamInSync(true) } }
            await venue.stepAndWaitForMark(bot)
            #expect(venue.venueIsProtected)
            _ = try await bot.stop()
            let alerts = try bot.store.alerts(runID: bot.runID.value ?? -1).map(\.alert)
            #expect(alerts.contains { $0.kind == "runtime.market_data_silent" && $0.severity == .critical })
        }
    }
}
