import BinanceFutures
import Logging
import Testing
@testable import TraderApp
import TradingEngine
import TradingModel
import TradingTestSupport

/// `qt live` built by `TraderBuilder.build(.live)`: the validated example's gate and exit engine
/// in a `LiveSession` over a Binance(-compatible) venue, recorded in the store as a live run.
@Suite("qt live: the built live trader")
struct LiveTradingTests {
    @Test("starts up against the venue, reconciles, opens both streams, records the run and stops without sending an order")
    func startsTradesNothingUnaskedAndStopsCleanly() async throws {
        let live = try Self.liveTrader(logger: LiveBuilds.quiet) { venue in
            venue.walletBalance = "2500.5"  // the example's [account] initial_balance is 10000: not used live
        }
        let (config, venue, store, trader) = (live.config, live.venue, live.store, live.trader)
        guard case .live(let result) = try await trader.run() else {
            Issue.record("a live trader produced another outcome")
            return
        }
        #expect(result.trades.isEmpty && result.openPositions.isEmpty && result.notes.isEmpty)
        #expect(result.walletBalance == Money("2500.5")!)
        let run = try #require(try store.runs().first)
        #expect(run.id == result.runID && run.kind == .live && run.finishedAt != nil)
        #expect(run.configHash == config.fingerprint && run.detail.hasPrefix("ema-cross/validator/exit-engine live on testnet"))
        // Start-up went through the venue (isolated margin set), history was back-filled (205 h + 13 min of 1m
        // klines in 9 pages of 1500); no order was sent without a signal.
        #expect(!venue.sent(.post, "/fapi/v1/marginType").isEmpty)
        #expect(venue.sent(.get, "/fapi/v1/klines").count == 9)
        #expect(venue.sent(.post, "/fapi/v1/order").isEmpty && venue.sent(.post, "/fapi/v1/algoOrder").isEmpty)
    }

    /// The session's lanes, streams and timer are services of the trader's group, started before
    /// the session: its graceful shutdown stops the session first (loop ended, lanes drained,
    /// runtime settled, run finished), then the timer, the streams and the lanes in that order.
    @Test("the group's graceful shutdown stops the live session first, then its timer, streams and lanes, in that order")
    func gracefulShutdownStopsTheSessionThenItsServices() async throws {
        let log = RecordedLog()
        let live = try Self.liveTrader(logger: log.logger(label: "qt"))
        let (store, trader) = (live.store, live.trader)
        guard case .live(let result) = try await trader.run() else {
            Issue.record("a live trader produced another outcome")
            return
        }
        #expect(try store.runs().first?.finishedAt != nil && result.trades.isEmpty)
        let messages = log.all.map(\.message)
        let sessionStopped = try #require(messages.firstIndex(of: "live.stopped_positions_stay_protected_by_exchange_backstops"))
        let services = log.messages("live.session_service_stopped").compactMap { $0.metadata["live.service"] }
        #expect(services == ["timer", "streams", "lanes"])
        let firstServiceStopped = try #require(messages.firstIndex(of: "live.session_service_stopped"))
        #expect(sessionStopped < firstServiceStopped, "the session settles before its services stop")
    }

    /// The session's services wait for it to open; a venue that refuses the start-up (a hedge-mode
    /// account) ends the session with its `StartupError`, and the group still ends: the waiting
    /// lanes, streams and timer stop at its graceful shutdown without ever having run.
    @Test("a refused start-up ends the group: the services waiting for the session stop, the StartupError is rethrown")
    func refusedStartUpEndsTheGroup() async throws {
        let log = RecordedLog()
        let live = try Self.liveTrader(logger: log.logger(label: "qt"), stopsWhenConnected: false) { venue in venue.hedgeMode = true }
        let (connector, venue, trader) = (live.connector, live.venue, live.trader)
        let error = try await #require(throws: StartupError.self) { try await trader.run() }
        #expect(error.code == .venue && error.message.contains("hedge"), "\(error)")
        let services = log.messages("live.session_service_stopped").compactMap { $0.metadata["live.service"] }
        #expect(services == ["timer", "streams", "lanes"])
        #expect(connector.connections.values.isEmpty && venue.sent(.post, "/fapi/v1/order").isEmpty)
    }

    /// 2026-11-25T00:00:00Z = 1_764_028_800 s; mod 36⁵ (= 60_466_176) = 10_509_696. 36 s = "00010".
    /// A live trader of the validated example for ATOMUSDT on a fake Binance venue (history served,
    /// `prepare` adjusts the venue), on a manual clock and an in-memory store. With
    /// `stopsWhenConnected` it stops (as SIGINT does) once both the market and the user-data
    /// streams are connected.
    static func liveTrader(logger: Logger, stopsWhenConnected: Bool = true, prepare: (FakeBinanceVenue) -> Void = { _ in }) throws
        -> (config: AppConfig, connector: PushConnector, venue: FakeBinanceVenue, store: InMemoryTradeStore, trader: Trader) {
        let config = try LiveCompositionTests.example("ema-cross-validated.toml")
        let clock = ManualClock(LiveHarness.start)
        let connector = PushConnector()
        let venue = FakeBinanceVenue(connector: connector, clock: clock)
        venue.serveKlines(WarmUpTests.flat)  // the back-fill succeeds (a refused one would retry after real pauses)
        prepare(venue)
        let store = InMemoryTradeStore()
        var base = TraderEnvironment(transport: venue, connector: connector, logger: logger, timerInterval: .seconds(7 * 86_400), signals: [])
        if stopsWhenConnected {
            base.shutdown = {
                await connector.connections.wait { urls in
                    urls.contains { $0.contains("/market/") } && urls.contains { !$0.contains("/market/") }
                }
            }
        }
        let trader = try TraderBuilder(LiveBuilds.isolated(config),
                                       environment: LiveBuilds.environment(variables: LiveCompositionTests.env, store: store, clock: clock, base: base))
            .build(.live(LiveRequest(symbols: ["ATOMUSDT"], confirmLive: true)))
        return (config, connector, venue, store, trader)
    }

    @Test("live sessions never share a client-order-id run tag: five base-36 digits of the start second, within the kernel's limit")
    func runTagsDifferPerSession() throws {
        let start = Timestamp(milliseconds: 1_764_028_800_000)
        let tag = LiveLock.runTag(start: start)
        #expect(tag.utf8.count == 5)
        #expect(Int(tag, radix: 36) == 1_764_028_800 % 60_466_176)
        #expect(LiveLock.runTag(start: Timestamp(milliseconds: 1_764_028_801_000)) != tag)
        #expect(LiveLock.runTag(start: Timestamp(milliseconds: 36_000)) == "00010")
        // The kernel and its id generators accept it (they trap on a tag Binance would refuse).
        let ids = ClientOrderIDGenerator(runTag: tag + "p123456")
        #expect(ids.runTag.hasPrefix(tag))
    }

    @Test("no symbols is refused before any venue call")
    func noSymbolsIsRefused() async throws {
        let config = try LiveCompositionTests.example("ema-cross-validated.toml")
        let clock = ManualClock(LiveHarness.start)
        let connector = PushConnector()
        let venue = FakeBinanceVenue(connector: connector, clock: clock)
        let base = TraderEnvironment(transport: venue, connector: connector, logger: LiveBuilds.quiet, signals: [])
        #expect {
            try TraderBuilder(LiveBuilds.isolated(config), environment: LiveBuilds.environment(variables: LiveCompositionTests.env, clock: clock, base: base))
                .build(.live(LiveRequest(symbols: [], confirmLive: true)))
        } throws: { ($0 as? StartupError)?.field == "--symbols" }
        #expect(venue.sent(.get, "/fapi/v1/time").isEmpty)
    }
}
