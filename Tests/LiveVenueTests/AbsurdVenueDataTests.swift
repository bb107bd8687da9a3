import LocalVenue
import Testing
import TraderApp
import TradingEngine
import TradingModel
import TradingTestSupport

/// The venue sends nonsense on its streams while the bot holds a protected short: each message
/// is dropped at the adapter and alerted (the user-data one as CRITICAL: its events are lost),
/// the bot keeps running on the next good prices, and the position stays protected.
@Suite("Live path against the local venue: absurd venue data")
struct AbsurdVenueDataTests {
    static let absurdUserData = [
        // An open position with an entry price of 0.
        #"{"e":"ACCOUNT_UPDATE","T":1767571500000,"E":1767571500000,"a":{"m":"ORDER","B":[{"a":"USDT","wb":"10000","cw":"10000"}],"P":[{"s":"ATOMUSDT","pa":"-446.03","ep":"0","up":"0","mt":"isolated","iw":"1","ps":"BOTH"}]}}"#,
        // A fill at a negative price of the bot's own entry id.
        #"{"e":"ORDER_TRADE_UPDATE","E":1767571500000,"T":1767571500000,"o":{"s":"ATOMUSDT","c":"qt-v1-1-en","S":"SELL","o":"MARKET","q":"446.03","ap":"-2","x":"TRADE","X":"FILLED","i":1,"l":"446.03","z":"446.03","L":"-2","N":"USDT","n":"0.1","T":1767571500000,"t":1,"m":false,"R":false,"rp":"0"}}"#,
        // Not JSON at all.
        "{\"e\":\"ORDER_TRADE_UPDATE\",",
    ]
    static let absurdMarket = [
        #"{"stream":"atomusdt@markPrice@1s","data":{"e":"markPriceUpdate","E":1767571500000,"s":"ATOMUSDT","p":"0","i":"2.2","r":"0.0001","T":1767600000000}}"#,
        #"{"stream":"atomusdt@markPrice@1s","data":{"e":"markPriceUpdate","E":1767571500000,"s":"ATOMUSDT","p":"90000000000","i":"2.2","r":"0.0001","T":1767600000000}}"#,
        #"{"stream":"atomusdt@aggTrade","data":{"e":"aggTrade","E":1767571500000,"s":"ATOMUSDT","a":1,"p":"2.2","q":"1","f":1,"l":1,"T":-9223372036854775808,"m":true}}"#,
        #"{"stream":"atomusdt@kline_1m","data":{"e":"kline","E":1767571500000,"s":"ATOMUSDT","k":{"t":1767571440000,"T":1767571499999,"s":"ATOMUSDT","i":"9999999999999999m","o":"2.2","c":"2.2","h":"2.2","l":"2.2","v":"1","n":1,"x":true}}}"#,
    ]

    @Test(.timeLimit(.minutes(5))) func absurdVenueMessagesAreDroppedAlertedAndTheBotStaysUpAndProtected() async throws {
        try await VenueLiveHarness.run(prices: ["2.224", "2.224", "2.224", "2.230", "2.228", "2.226"]) { venue in
            let bot = try venue.startBot()
            await venue.waitUntilTrading(bot)
            await venue.stepAndWaitForMark(bot)  // closed bar → SHORT signal
            await venue.stepAndWaitForMark(bot)  // entry, backstop
            await venue.eventually(bot) { venue.venuePosition != nil && venue.restingBackstops.count == 1 }
            let dropped: @Sendable (RuntimeInput) -> Bool = { if case .venueMessageDropped = $0 { true } else { false } }
            for text in Self.absurdUserData { venue.controller.sendRawUserData(text) }
            let streams = ["atomusdt@markPrice@1s", "atomusdt@markPrice@1s", "atomusdt@aggTrade", "atomusdt@kline_1m"]
            for (text, stream) in zip(Self.absurdMarket, streams) { venue.controller.sendRawMarketMessage(text, stream: stream) }
            let expected = Self.absurdUserData.count + Self.absurdMarket.count
            await venue.eventually(bot) { bot.handled.values.filter(dropped).count >= expected }
            await venue.stepAndWaitForMark(bot)  // the good prices after the nonsense are still handled
            await venue.eventually(bot) { venue.venueIsProtected }
            #expect(venue.venueIsProtected)
            #expect(venue.venuePosition?.quantity == Quantity("446.03")!)
            let drops = bot.handled.values.compactMap { if case .venueMessageDropped(let dropped) = $0 { dropped } else { nil } }
            #expect(drops.filter { $0.stream == .userData }.count == Self.absurdUserData.count)
            #expect(drops.filter { $0.stream == .market }.count == Self.absurdMarket.count)
            #expect(bot.criticalAlerts.filter { $0.hasPrefix("venue.message_dropped") }.count == Self.absurdUserData.count)
            // The nonsense fill was not booked: the store holds the venue's fills only.
            let summary = try await bot.stop()
            #expect(summary.openPositions.count == 1)
            #expect(VenueLiveHarness.filled(bot.storeFills) == venue.venueFilled)
        }
    }
}
