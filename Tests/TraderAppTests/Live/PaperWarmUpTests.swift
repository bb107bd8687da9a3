import BinanceFutures
import Foundation
import Logging
import Testing
@testable import TraderApp
import TradingEngine
import TradingModel
import TradingTestSupport

/// `qt paper --venue`: the history back-fill of `qt live` (`HistoryBackfill`, the same plan) from
/// the venue's public klines before the first live event. The validated example (`ema-cross` →
/// `PreTradeValidator`, whose trend needs 205 hours) is warm right after the back-fill and judges
/// the first live signal; a failed back-fill is retried with back-off, then alerted with entries
/// blocked. Fake venue (REST), scripted market stream, manual clock; no network, no sleeps.
@Suite("Paper on a venue: warm-up back-filled from the venue's klines")
struct PaperWarmUpTests {
    struct Outcome {
        var result: PaperRunResult
        var decisions: [DecisionRecord]
        var klineRequests: Int
        var sleeps: [Duration]
    }

    /// The live part: marks and trades, then the 22:13 kline closing 3% up (EMA 12 crosses above
    /// EMA 26 on the back-filled history → LONG), then the marks and trades the signal acts on.
    static func liveFeed() throws -> ScriptedMarketFeed {
        let last = try #require(WarmUpValidatorTests.history(Timestamp(milliseconds: WarmUpTests.lastClosedOpen)))
        let close = Price(raw: last.raw + last.raw / 100 * 3 / 100_000 * 100_000)
        let open = Timestamp(milliseconds: WarmUpTests.lastClosedOpen + 60_000)
        let closeTime = open.advanced(by: .seconds(60))
        func prices(_ price: Price, _ time: Timestamp) -> [MarketEvent] {
            [.markPrice(MarkPrice(symbol: "ATOMUSDT", price: price, eventTime: time, receiveTime: time)),
             .trade(Trade(symbol: "ATOMUSDT", price: price, quantity: Quantity(units: 1), buyerIsMaker: false, tradeTime: time, receiveTime: time))]
        }
        let candle = Candle(openTime: open, open: last, high: close, low: last, close: close, volume: Quantity(units: 1000))
        return ScriptedMarketFeed(events: prices(last, open.advanced(by: .seconds(30))) + [.candle("ATOMUSDT", candle, interval: .seconds(60))]
                                  + prices(close, closeTime.advanced(by: .seconds(1))) + prices(close, closeTime.advanced(by: .seconds(2))))
    }

    /// Runs `qt paper --venue` on the validated example; `serveAfterSleeps`: klines answer HTTP
    /// 503 until the back-fill has waited that many retry delays (nil: they never answer).
    func run(serveAfterSleeps: Int?) async throws -> Outcome {
        let config = try LiveCompositionTests.example("ema-cross-validated.toml")
        let clock = ManualClock(LiveHarness.start)
        let venue = FakeBinanceVenue(connector: PushConnector(), clock: clock)
        if serveAfterSleeps == 0 { venue.serveKlines(WarmUpValidatorTests.history) }
        let sleeps = Observed<Duration>()
        let history = PaperHistory(transport: venue, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }),
                                   pause: { _ in }, sleep: { delay in
                                       sleeps.append(delay)
                                       if sleeps.values.count == serveAfterSleeps { venue.serveKlines(WarmUpValidatorTests.history) }
                                   })
        let store = InMemoryTradeStore()
        let result = try await PaperRunner.run(config: config, symbols: ["ATOMUSDT"], feed: try Self.liveFeed(), barInterval: .seconds(60),
                                               clock: clock, eventClock: clock, timerInterval: nil, store: store, alerting: NoAlerting(),
                                               history: history)
        return Outcome(result: result, decisions: try store.decisions(runID: result.runID),
                       klineRequests: venue.sent(.get, "/fapi/v1/klines").count, sleeps: sleeps.values)
    }

    @Test("205 hours back-filled from GET /fapi/v1/klines: warm at once; the first live LONG is judged on trend and regime and taken",
          .timeLimit(.minutes(5)))
    func warmAfterTheBackfill() async throws {
        let outcome = try await run(serveAfterSleeps: 0)
        #expect(outcome.result.alerts.contains { $0.kind == "runtime.warm_up_complete" })
        #expect(!outcome.result.alerts.contains { $0.kind.rawValue.hasPrefix("runtime.warm_up_") && $0.kind != "runtime.warm_up_complete" })
        #expect(outcome.klineRequests == 9 && outcome.sleeps.isEmpty)  // 205 h + 13 min = 12313 klines: 9 pages of 1500
        let decision = try #require(outcome.decisions.first)
        #expect(outcome.decisions.count == 1 && decision.signal.side == .long)
        #expect(!decision.reasons.contains { $0.hasPrefix("entryBlocked") || $0.hasPrefix("checkUnavailable") }, "\(decision.reasons)")
        #expect(decision.approved)
    }

    @Test("Klines refused at first: the back-fill is retried after 5 s, then loads; warm for the first live signal",
          .timeLimit(.minutes(5)))
    func failedBackfillIsRetried() async throws {
        let outcome = try await run(serveAfterSleeps: 1)
        #expect(outcome.sleeps == [.seconds(5)])
        #expect(outcome.klineRequests == 3 + 9)  // three attempts answered 503, then the nine pages
        #expect(outcome.result.alerts.contains { $0.kind == "runtime.warm_up_complete" })
        #expect(!outcome.result.alerts.contains { $0.kind == "runtime.warm_up_failed" })
        #expect(outcome.decisions.map(\.approved) == [true])
    }

    @Test("Klines never served: three retry rounds (5, 10, 20 s), then alerted; entries wait, nothing is traded on partial history",
          .timeLimit(.minutes(5)))
    func failedBackfillBlocks() async throws {
        let outcome = try await run(serveAfterSleeps: nil)
        #expect(outcome.sleeps == [.seconds(5), .seconds(10), .seconds(20)])
        #expect(outcome.klineRequests == 4 * 3)
        let alert = try #require(outcome.result.alerts.first { $0.kind == "runtime.warm_up_failed" })
        #expect(alert.symbol == "ATOMUSDT" && alert.message.contains("entries blocked until 205 hours"))
        #expect(!outcome.result.alerts.contains { $0.kind == "runtime.warm_up_complete" })
        // One live bar only seeds the EMAs: no signal, no decision, no trade.
        #expect(outcome.decisions.isEmpty && outcome.result.trades.isEmpty)
    }

    @Test("The REST base of a stream URL: Binance's API hosts, a local venue's own host and port")
    func restURLs() {
        #expect(PaperRunner.restURL(forStreams: "wss://fstream.binance.com") == "https://fapi.binance.com")
        #expect(PaperRunner.restURL(forStreams: "wss://fstream.binance.com/") == "https://fapi.binance.com")
        #expect(PaperRunner.restURL(forStreams: "wss://stream.binancefuture.com") == "https://testnet.binancefuture.com")
        #expect(PaperRunner.restURL(forStreams: "ws://127.0.0.1:8080") == "http://127.0.0.1:8080")
        #expect(PaperRunner.restURL(forStreams: "wss://venue.example:9443/stream") == "https://venue.example:9443")
        #expect(PaperRunner.restURL(forStreams: "http://127.0.0.1:8080") == nil)
        #expect(PaperRunner.restURL(forStreams: "ws://") == nil)
    }
}
