import Backtest
import LocalVenue
import Testing
import TraderApp
import TradingEngine
import TradingModel
import Storage
import TradingTestSupport

/// The symbol leaves `TRADING` while the bot holds a protected short: the session's periodic
/// refresh of the listing (every 15 min of its clock) reports it, new entries stop, the position
/// keeps its backstop and is closed by its stop as usual, and the next signal is not traded.
@Suite("Live path against the local venue: symbol status")
struct SymbolStatusTests {
    @Test(.timeLimit(.minutes(5))) func aSymbolThatLeavesTradingStopsNewEntriesAndItsPositionStaysProtected() async throws {
        // Entry at the 3rd point; 17 flat minutes; then a rise through the short's stop (2.224 × 1.012 ≈ 2.251), then flat.
        let prices = ["2.224", "2.224", "2.224"] + Array(repeating: "2.224", count: 17) + ["2.260", "2.260", "2.260"]
        try await VenueLiveHarness.run(prices: prices) { venue in
            let bot = try venue.startBot(strategy: ShortOnceStrategy(everyBar: true))
            await venue.waitUntilTrading(bot)
            await venue.stepAndWaitForMark(bot)  // closed bar → SHORT
            await venue.stepAndWaitForMark(bot)  // entry
            await venue.eventually(bot) {
                venue.venuePosition != nil && venue.restingBackstops.count == 1
                    && bot.hasHandled { if case .execution(.accepted(let id, _, _, _)) = $0 { id.value.hasSuffix("-bs") } else { false } }
            }
            let atom = try #require(BundledInstruments.instrument(VenueLiveHarness.symbol))
            venue.controller.list(VenueListing(instrument: atom, status: "BREAK"))
            for _ in 0..<17 { await venue.stepAndWaitForMark(bot) }  // 19 min after the start: a refresh is due
            await bot.tick()
            let refreshed = bot.handled.values.compactMap { if case .instrumentsRefreshed(let statuses) = $0 { statuses } else { nil } }
            #expect(refreshed.last?.first?.entryRefusal?.contains("status BREAK") == true, "\(refreshed)")
            #expect(venue.venueIsProtected && venue.venuePosition?.quantity == Quantity("446.03")!)
            // The stop closes the short as usual (a reduce-only close is allowed while halted).
            await venue.stepAndWaitForMark(bot)
            await venue.eventually(bot) { venue.venuePosition == nil && venue.venueOpenOrders.isEmpty }
            // Signals keep coming (every bar) and are not traded: the symbol is not TRADING.
            await venue.stepAndWaitForMark(bot)
            await venue.stepAndWaitForMark(bot)
            let blocked = await bot.runtime.value?.blockedSignals.map(\.1) ?? []
            #expect(blocked.contains { $0.contains("status BREAK") }, "\(blocked)")
            #expect(venue.venueEntries.count == 1, "\(venue.venueEntries)")
            // The blocked signals never reached the venue: one entry POST in the whole session.
            #expect(venue.controller.requests.filter { $0.method == "POST" && $0.path == "/fapi/v1/order" && $0.parameters["reduceOnly"] != "true" }.count == 1)
            let alerts = try bot.store.alerts(runID: bot.runID.value ?? -1).map(\.alert.kind)
            #expect(alerts.contains("runtime.symbol_not_trading"))
            _ = try await bot.stop()
        }
    }
}
