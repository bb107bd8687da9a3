import BinanceFutures
import Logging
import Testing
@testable import TraderApp
import TradingEngine
import TradingModel
import TradingTestSupport

/// `qt live`'s composition root (`LiveTrading.run`): the validated example's gate and exit engine
/// in a `LiveSession` over a Binance(-compatible) venue, recorded in the store as a live run.
@Suite("qt live: LiveTrading composition")
struct LiveTradingTests {
    @Test("starts up against the venue, reconciles, opens both streams, records the run and stops without sending an order")
    func startsTradesNothingUnaskedAndStopsCleanly() async throws {
        let config = try LiveCompositionTests.example("ema-cross-validated.toml")
        let plan = try LivePreflight.check(config: config, confirmLive: true, environment: LiveCompositionTests.env, keyFile: nil,
                                           repositoryRoot: nil)
        let clock = ManualClock(LiveHarness.start)
        let connector = PushConnector()
        let venue = FakeBinanceVenue(connector: connector, clock: clock)
        venue.serveKlines(WarmUpTests.flat)  // the back-fill succeeds (a refused one would retry after real pauses)
        let store = InMemoryTradeStore()
        let result = try await LiveTrading.run(
            config: config, plan: plan, symbols: ["ATOMUSDT"], store: store, alerting: RecordingAlerting(), clock: clock,
            transport: venue, connector: connector, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }),
            timerInterval: .seconds(7 * 86_400),
            until: {
                // Stop (as SIGINT does) once both the market and the user-data streams are connected.
                await connector.connections.wait { urls in
                    urls.contains { $0.contains("/market/") } && urls.contains { !$0.contains("/market/") }
                }
            })
        #expect(result.trades.isEmpty && result.openPositions.isEmpty && result.notes.isEmpty)
        let run = try #require(try store.runs().first)
        #expect(run.id == result.runID && run.kind == .live && run.finishedAt != nil)
        #expect(run.configHash == config.fingerprint && run.detail.hasPrefix("ema-cross/validator/exit-engine live on testnet"))
        // Start-up went through the venue (isolated margin set), history was back-filled (205 h + 13 min of 1m
        // klines in 9 pages of 1500); no order was sent without a signal.
        #expect(!venue.sent(.post, "/fapi/v1/marginType").isEmpty)
        #expect(venue.sent(.get, "/fapi/v1/klines").count == 9)
        #expect(venue.sent(.post, "/fapi/v1/order").isEmpty && venue.sent(.post, "/fapi/v1/algoOrder").isEmpty)
    }

    @Test("no symbols is refused before any venue call")
    func noSymbolsIsRefused() async throws {
        let config = try LiveCompositionTests.example("ema-cross-validated.toml")
        let plan = try LivePreflight.check(config: config, confirmLive: true, environment: LiveCompositionTests.env, keyFile: nil,
                                           repositoryRoot: nil)
        let clock = ManualClock(LiveHarness.start)
        let connector = PushConnector()
        let venue = FakeBinanceVenue(connector: connector, clock: clock)
        await #expect(throws: LiveRuntimeError.self) {
            _ = try await LiveTrading.run(config: config, plan: plan, symbols: [], store: InMemoryTradeStore(), alerting: RecordingAlerting(),
                                          clock: clock, transport: venue, connector: connector, until: {})
        }
        #expect(venue.sent(.get, "/fapi/v1/time").isEmpty)
    }
}
