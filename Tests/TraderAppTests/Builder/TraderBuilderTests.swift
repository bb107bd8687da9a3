import Foundation
import Testing
import TradingConfig
@testable import TraderApp
import TradingEngine
import TradingModel
import TradingTestSupport

/// `TraderBuilder(config).build(mode)`: one builder for `qt backtest`, `qt paper` and `qt live`;
/// its refusals are `StartupError`s naming the field; the built trader's `ServiceGroup` stops
/// its session gracefully on the stop signal, as on SIGINT.
@Suite("One builder for every mode")
struct TraderBuilderTests {
    static let root = BacktestConfigTests.root
    static let link = LocalVenuePaperTests.link

    static func example(_ name: String) throws -> AppConfig { try LiveCompositionTests.example(name) }

    static func environment(store: any TradeStore = InMemoryTradeStore(), shutdown: (@Sendable () async -> Void)? = nil,
                            say: @escaping @Sendable (String) -> Void = { _ in }) -> TraderEnvironment {
        TraderEnvironment(clock: ManualClock(LiveHarness.start), store: store, logger: LiveBuilds.quiet, timerInterval: .seconds(7 * 86_400),
                          signals: [], shutdown: shutdown, lockDirectory: LiveBuilds.temporaryDirectory(), say: say)
    }

    @Test("every mode builds from a configuration, with the strategy resolved once")
    func everyModeBuilds() throws {
        let config = try Self.example("ema-cross.toml")
        let backtest = try TraderBuilder(config, environment: Self.environment())
            .build(.backtest(BacktestRequest(dataFiles: [Self.link], outputDirectory: LiveBuilds.temporaryDirectory() + "/run")))
        #expect(backtest.kind == .backtest && backtest.label.hasPrefix("ema-cross backtest"))
        let files = try TraderBuilder(config, environment: Self.environment()).build(.paper(.files([Self.link])))
        #expect(files.kind == .paper && files.alerts == nil)
        let venue = try TraderBuilder(config, environment: Self.environment())
            .build(.paper(.venue(websocketURL: "ws://127.0.0.1:9", restURL: nil, symbols: ["LINKUSDT"])))
        #expect(venue.kind == .paper && venue.alerts != nil && venue.label == "paper on ws://127.0.0.1:9: LINKUSDT")
        let local = try TraderBuilder(config, environment: Self.environment())
            .build(.paper(.localVenue(file: Self.link, bars: 10, pacing: .lockstep(window: 4))))
        #expect(local.kind == .paper && local.label.hasSuffix(Self.link))
        let live = try LiveBuilds.build(config: try Self.example("ema-cross-validated.toml"), confirmLive: true, environment: LiveCompositionTests.env)
        #expect(live.kind == .live && live.venueAccess?.network == .testnet && live.runTag?.utf8.count == 5 && live.alerts != nil)
    }

    @Test("paper on the local venue: the alert rules run on the venue's clock, the time base of the exit owners' price events")
    func localVenueAlertsRunOnVenueTime() throws {
        // On the wall clock the owner-silence rule measured months between a replayed price event and
        // "now", and raised CRITICAL exit_owner_silent alerts all through `make demo`'s paper run.
        let config = try Self.example("ema-cross-exit-engine.toml")
        let (_, candles) = try LocalVenuePaper.loadCandles(dataFile: Self.link, maxBars: 10)
        let trader = try TraderBuilder(config, environment: Self.environment())
            .build(.paper(.localVenue(file: Self.link, bars: 10, pacing: .lockstep(window: 4))))
        let alerts = try #require(trader.alerts)
        #expect(alerts.clock.now == candles[0].openTime)
        #expect(alerts.clock.now != LiveHarness.start)
    }

    /// The session's lifecycle messages ("started", "stopping") go through the alert rules beside
    /// everything else the session raises, so they carry the session's time: the venue's replayed
    /// time on the local venue, not the environment's wall clock.
    @Test("paper on the local venue: the session's started and stopping messages carry the venue's time")
    func localVenueLifecycleOnVenueTime() async throws {
        let config = try Self.example("ema-cross-exit-engine.toml")
        let (_, candles) = try LocalVenuePaper.loadCandles(dataFile: Self.link, maxBars: 10)
        let store = InMemoryTradeStore()
        let trader = try TraderBuilder(config, environment: Self.environment(store: store))
            .build(.paper(.localVenue(file: Self.link, bars: 10, pacing: .lockstep(window: 4))))
        guard case .localVenuePaper(let outcome) = try await trader.run() else {
            Issue.record("a local-venue paper trader produced another outcome")
            return
        }
        let lifecycle = try store.alerts(runID: nil).map(\.alert).filter { $0.kind == "alerts.lifecycle" }
        let started = try #require(lifecycle.first { $0.message.contains("QuantumTrader started") })
        let stopping = try #require(lifecycle.first { $0.message.contains("QuantumTrader stopping") })
        #expect(started.time == candles[0].openTime)
        // The environment's clock stands at LiveHarness.start (a wall clock would say the same).
        #expect(stopping.time != LiveHarness.start, "\(stopping.time)")
        #expect(stopping.time >= outcome.finalState.time && stopping.time <= candles[9].openTime.advanced(by: .seconds(60)))
    }

    @Test("a refused configuration is a StartupError with its code and the field to fix, on one line", arguments: [
        ("ema-cross.toml", "live", StartupError.Code.configuration, "[execution] policy"),
        ("ema-cross-exit-engine.toml", "live", .configuration, "[strategy] entry_gate"),
        ("ema-cross-validated.toml", "live-unconfirmed", .confirmation, "--confirm-live"),
        ("ema-cross-validated.toml", "live-mainnet-flag", .confirmation, "[live] network"),
        ("ema-cross-validated.toml", "live-no-keys", .credentials, "QT_BINANCE_API_KEY"),
        ("no-strategy", "backtest", .configuration, "[strategy]"),
        ("no-strategy", "paper", .configuration, "[strategy]"),
        ("ema-cross.toml", "paper-http-venue", .confirmation, "--venue"),
        ("ema-cross.toml", "paper-no-symbols", .data, "--symbols"),
        ("ema-cross.toml", "paper-bad-file", .data, "--local-venue"),
    ])
    func refusalsNameTheField(_ file: String, _ mode: String, _ code: StartupError.Code, _ field: String) throws {
        let config = file == "no-strategy" ? try LivePreflightTests.config("[execution]\npolicy = \"exit-engine\"\n") : try Self.example(file)
        let modes: [String: TraderMode] = [
            "live": .live(LiveRequest(symbols: ["ATOMUSDT"], confirmLive: true)),
            "live-unconfirmed": .live(LiveRequest(symbols: ["ATOMUSDT"], confirmLive: false)),
            "live-mainnet-flag": .live(LiveRequest(symbols: ["ATOMUSDT"], confirmLive: true, mainnet: true)),
            "live-no-keys": .live(LiveRequest(symbols: ["ATOMUSDT"], confirmLive: true)),
            "backtest": .backtest(BacktestRequest(dataFiles: [Self.link])),
            "paper": .paper(.files([Self.link])),
            "paper-http-venue": .paper(.venue(websocketURL: "http://127.0.0.1:9", restURL: nil, symbols: ["LINKUSDT"])),
            "paper-no-symbols": .paper(.venue(websocketURL: "ws://127.0.0.1:9", restURL: nil, symbols: [])),
            "paper-bad-file": .paper(.localVenue(file: Self.root + "/README.md", bars: nil, pacing: .lockstep(window: 4))),
        ]
        let store = InMemoryTradeStore()
        var environment = Self.environment(store: store)
        environment.variables = mode == "live-no-keys" ? [:] : LiveCompositionTests.env
        let error = try #require(throws: StartupError.self) {
            try TraderBuilder(LiveBuilds.isolated(config), environment: environment).build(try #require(modes[mode]))
        }
        #expect(error.code == code && error.field == field, "\(error.lines)")
        #expect(!"\(error)".contains("\n") && error.lines[1].contains(code.rawValue) && error.lines[1].contains(field))
        // Refused before anything was recorded.
        #expect(try store.runs().isEmpty)
    }

    @Test("an error underneath is kept as the cause and printed after the message")
    func theCauseIsKept() throws {
        let text = try String(contentsOfFile: Self.root + "/examples/ml-ensemble.toml", encoding: .utf8)
        let config = try AppConfig(from: try ConfigDocument.parse(text: text, file: "ml.toml"))
        let error = try #require(throws: StartupError.self) {
            try TraderBuilder(config, environment: Self.environment())
                .build(.paper(.venue(websocketURL: "ws://127.0.0.1:9", restURL: nil, symbols: ["LINKUSDT"])))
        }
        #expect(error.code == .model && error.field == "[strategy] model_dir")
        #expect(error.cause is MLBacktestError)
    }

    /// The stop signal (SIGINT/SIGTERM in the app; injected here) shuts the trader's group down
    /// gracefully: the session stops first (what was received is handled, the run is finished in
    /// the store with its summary), then the alert services send "stopping" and drain.
    @Test("the group's graceful shutdown stops the session as SIGINT does, then the notifiers drain")
    func gracefulShutdownStopsTheSession() async throws {
        let config = try Self.example("ema-cross.toml")
        let store = InMemoryTradeStore()
        let listening = Observed<String>()
        let environment = Self.environment(store: store, shutdown: {
            // Once the venue listens and the session runs, as a user pressing Ctrl-C then.
            await listening.wait { $0.contains { $0.contains("local venue on ws://127.0.0.1:") } }
        }, say: { listening.append($0) })
        // Real-time pacing whose waits never end: the replay cannot reach the file's end, so only the stop ends the session.
        let pacing = LocalVenuePaper.Pacing.realTime(speed: 1, sleep: { _ in
            await waitForCancellation()
            throw CancellationError()
        })
        let trader = try TraderBuilder(config, environment: environment).build(.paper(.localVenue(file: Self.link, bars: 100, pacing: pacing)))
        guard case .localVenuePaper(let outcome) = try await trader.run() else {
            Issue.record("a local-venue paper trader produced another outcome")
            return
        }
        #expect(outcome.stopped)
        let run = try #require(try store.runs().first)
        #expect(run.id == outcome.run.runID && run.kind == .paper && run.finishedAt != nil)
        #expect(run.summaryJSON?.hasPrefix("{\"trades\":") == true)
        let lifecycle = try store.alerts(runID: nil).map(\.alert).filter { $0.kind == "alerts.lifecycle" }
        #expect(lifecycle.contains { $0.message.contains("QuantumTrader started") }, "\(lifecycle.map(\.message))")
        #expect(lifecycle.last?.message.contains("QuantumTrader stopping") == true)
    }
}
