import LocalVenue
import Testing
import TraderApp
import TradingEngine
import TradingModel
import Backtest
import Storage
import TradingTestSupport

@Suite("Live path against the local venue: the seed ATOMUSDT incident")
struct SeedIncidentVenueTests {
    /// The Python bot's loss, replayed through `LiveSession` → BinanceFutures REST + WebSockets →
    /// LocalVenue: SHORT 446.03 ATOM @ 2.224 at 2x with a 1.20 % stop; marks 2.224 → 2.240 →
    /// 2.2507 → 2.262. The exit engine closes with a reduce-only MARKET BUY on the 2.2507 mark.
    @Test("ATOMUSDT SHORT 446.03 @ 2.224, stop 1.20%: reduce-only MARKET BUY via REST on the 2.2507 mark; venue flat, backstop cancelled, trade stop_loss",
          .timeLimit(.minutes(5)))
    func seedIncident() async throws {
        // Points: 1 applied at start; 2 closes the signal bar; 3 is the entry's mark; then the rise.
        try await VenueLiveHarness.run(prices: ["2.224", "2.224", "2.224", "2.240", "2.2507", "2.262"]) { venue in
            let bot = try venue.startBot()
            await venue.waitUntilTrading(bot)
            #expect(Array(bot.transport.requests.values.prefix(9)) == [
                "GET /fapi/v1/time", "GET /fapi/v1/positionSide/dual", "GET /fapi/v1/exchangeInfo", "GET /fapi/v1/leverageBracket",
                "POST /fapi/v1/marginType", "GET /fapi/v3/balance", "GET /fapi/v3/positionRisk", "GET /fapi/v1/openOrders", "GET /fapi/v1/openAlgoOrders",
            ])
            await venue.stepAndWaitForMark(bot)  // 2.224, closed kline → SHORT signal
            await venue.stepAndWaitForMark(bot)  // 2.224 → entry (SELL MARKET), fill over user data, backstop
            await venue.eventually(bot) {
                venue.venuePosition != nil && venue.restingBackstops.count == 1
                    && bot.hasHandled { if case .execution(.accepted(let id, _, _, _)) = $0 { id.value.hasSuffix("-bs") } else { false } }
            }
            let orderPosts = { venue.controller.requests.filter { $0.method == "POST" && $0.path == "/fapi/v1/order" } }
            let entry = try #require(orderPosts().first)
            #expect(entry.parameters["side"] == "SELL" && entry.parameters["type"] == "MARKET" && entry.parameters["quantity"] == "446.03")
            #expect(entry.parameters["reduceOnly"] == nil)
            #expect(venue.controller.requests.filter { $0.method == "POST" && $0.path == "/fapi/v1/leverage" }.map { $0.parameters["leverage"] } == ["2"])
            let position = try #require(venue.venuePosition)
            #expect(position.side == .short && position.quantity == Quantity("446.03")! && position.entryPrice == Price("2.224")!)
            let backstopPost = try #require(venue.controller.requests.first { $0.method == "POST" && $0.path == "/fapi/v1/algoOrder" })
            // Backstop: stop 2.250 plus the buffer, on the tick → 2.256, close-position BUY on the mark price.
            #expect(backstopPost.parameters["type"] == "STOP_MARKET" && backstopPost.parameters["closePosition"] == "true")
            #expect(backstopPost.parameters["triggerPrice"] == "2.256" && backstopPost.parameters["side"] == "BUY")
            #expect(backstopPost.parameters["workingType"] == "MARK_PRICE")

            await venue.stepAndWaitForMark(bot)  // 2.240: inside the stop, nothing sent
            #expect(orderPosts().count == 1)
            // 2.224 × 1.012 = 2.250688 → the exit engine's stop; 2.2507 is the first mark beyond it.
            await venue.stepAndWaitForMark(bot)
            // The runtime handed the close to its lane while it handled that mark; the lane sends it off the loop.
            await venue.eventually(bot) { venue.controller.requests.filter { $0.method == "POST" && $0.path == "/fapi/v1/order" }.count >= 2 }
            let posts = orderPosts()
            #expect(posts.count == 2)
            let close = try #require(posts.last)
            #expect(close.parameters["side"] == "BUY" && close.parameters["type"] == "MARKET" && close.parameters["reduceOnly"] == "true")
            #expect(close.parameters["quantity"] == "446.03")
            await venue.eventually(bot) { venue.venuePosition == nil && venue.venueOpenOrders.isEmpty && bot.hasHandled {
                if case .execution(.canceled) = $0 { true } else { false } } }
            #expect(venue.controller.requests.filter { $0.method == "DELETE" && $0.path == "/fapi/v1/algoOrder" }.map { $0.parameters["clientAlgoId"] }
                == [backstopPost.parameters["clientAlgoId"]])
            await venue.stepAndWaitForMark(bot)  // 2.262 would have hit the backstop: nothing rests, nothing fills
            #expect(venue.venuePosition == nil && orderPosts().count == 2 && venue.venueFilled.count == 2)

            let summary = try await bot.stop()
            let trade = try #require(summary.trades.first)
            #expect(summary.trades.count == 1 && summary.openPositions.isEmpty)
            #expect(trade.exitReason == .stopLoss)
            // gross (2.224 − 2.2507) × 446.03 = −0.0267 × 446.03 = −11.909001
            // fees (taker 0.05 %): 2.224 × 446.03 = 991.97072 → 0.49598536; 2.2507 × 446.03 = 1003.879721 → 0.50193986
            // net −11.909001 − 0.49598536 − 0.50193986 = −12.90692622
            #expect(trade.grossPnL == Money("-11.909001")! && trade.netPnL == Money("-12.90692622")!)
            let runID = try #require(bot.runID.value)
            #expect(try bot.store.trades(runID: runID).map(\.exitReason) == ["stop_loss"])
            // The venue's wallet agrees: 10 000 − 12.90692622 = 9 987.09307378.
            #expect(venue.controller.inspect { $0.exchange.ledger.walletBalance } == Money("9987.09307378")!)
            // No lost fill: the store holds exactly the venue's fills.
            #expect(VenueLiveHarness.filled(bot.storeFills) == venue.venueFilled)
            #expect(venue.postedClientIDs.values.allSatisfy { $0 == 1 })
        }
    }
}
