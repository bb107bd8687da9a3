import BinanceFutures
import CandleData
import Foundation
import Logging
import Signals
import Testing
@testable import TraderApp
import TradingEngine
import TradingModel
import TradingTestSupport
import Backtest

/// `ml-ensemble` in `qt paper` and `qt live`: the model loaded and checked before any venue
/// call, its signals (with the calibrated confidence) judged by the validator, positions owned
/// by the exit engine, the live back-fill long enough for its features. The tiny FILUSDT model of
/// `MLBacktestTests` (trained on 2023-02-01..14; 2023-02-16..28 is out of sample).
@Suite("ml-ensemble in paper and live", .serialized)
struct MLSessionTests {
    static func config(gate: String = "validator", policy: String = "exit-engine", model: String? = nil) throws -> AppConfig {
        try MLValidatedBacktestTests.config(model: model ?? (try MLBacktestTests.prepared.get().model), gate: gate, policy: policy)
    }

    static var logger: Logger { Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }) }

    // MARK: - Paper

    /// `qt paper --data FILE`: the same engine and data as `qt backtest`, so the same signals,
    /// decisions (the validator's confidence rejections among them) and exit-engine trades.
    @Test func paperOnFilesEqualsTheBacktestThroughTheValidatorAndTheExitEngine() async throws {
        let later = try MLBacktestTests.later()
        let config = try Self.config()
        let backtest = try BacktestRunner.run(config: config, dataFiles: [later], outputDirectory: MLBacktestTests.base + "/run-paper-parity")
        let store = InMemoryTradeStore()
        let paper = try await PaperRunner.run(config: config, dataFiles: [later], store: store, alerting: NoAlerting())
        let decisions = try store.decisions(runID: paper.runID)
        #expect(!decisions.isEmpty && decisions.count == backtest.output.decisions.count)
        #expect(decisions.map(\.signal) == backtest.output.decisions.map { MLBacktestTests.judged($0.decision) })
        #expect(decisions.map(\.approved) == backtest.output.decisions.map(\.decision.isApproved))
        #expect(decisions.contains { $0.reasons.contains { $0.hasPrefix("confidenceBelowThreshold(") } })
        #expect(!paper.trades.isEmpty && paper.trades == backtest.output.trades)
        #expect(paper.trades.allSatisfy { ExampleBacktestTests.exitEngineReasons.contains($0.exitReason) })
        let version = try SignalEnsemble.load(directory: try MLBacktestTests.prepared.get().model).version
        let run = try #require(try store.runs().first)
        #expect(run.detail.hasPrefix("ml-ensemble@\(version)/validator/exit-engine on "))
        #expect(paper.notes.contains { $0.contains("(out of sample)") })
    }

    /// `qt paper --local-venue FILE`: the model warms up on the venue's stream (no signal before
    /// its features are complete: `FeatureEngine.warmUp`, 232 hours), then its signals are judged
    /// by the validator (a day of them).
    @Test(.timeLimit(.minutes(5)))
    func paperOnTheLocalVenueJudgesTheModelsSignalsOnlyOnceItsFeaturesAreComplete() async throws {
        let later = try MLBacktestTests.later()
        let store = InMemoryTradeStore()
        let bars = (FeatureEngine.warmUp.hourBars + 1) * 60 + 1440
        let outcome = try await LocalVenuePaper.run(config: try Self.config(), dataFile: later, maxBars: bars, pacing: .lockstep(window: 16),
                                                    store: store, alerting: NoAlerting(), logger: Self.logger)
        #expect(outcome.bars == bars)
        let decisions = try store.decisions(runID: outcome.run.runID)
        #expect(!decisions.isEmpty)
        let start = MLBacktestTests.laterStart.milliseconds
        let warm = start + Int64(FeatureEngine.warmUp.hourBars) * 3_600_000
        #expect(decisions.allSatisfy { $0.signal.time.milliseconds >= warm })
        #expect(decisions.allSatisfy { $0.signal.source.hasPrefix("ml-ensemble@") && ($0.signal.confidence ?? 0) >= 0.5 })
        // Judged by the validator: a signal below [validation] min_confidence carries that reason.
        #expect(decisions.contains { ($0.signal.confidence ?? 1) < MLValidatedBacktestTests.minimumConfidence })
        for decision in decisions where (decision.signal.confidence ?? 0) < MLValidatedBacktestTests.minimumConfidence {
            #expect(!decision.approved && decision.reasons.contains { $0.hasPrefix("confidenceBelowThreshold(") })
        }
        #expect(!outcome.run.alerts.contains { $0.severity == .critical })
    }

    /// Paper refuses what the backtest refuses, before a run is recorded: no model, a mismatched
    /// model, a period inside the training window.
    @Test func paperRefusesAMissingModelOrAnInSamplePeriodBeforeRecordingARun() async throws {
        let store = InMemoryTradeStore()
        await #expect(throws: MLBacktestError.self) {
            _ = try await PaperRunner.run(config: try Self.config(model: MLBacktestTests.base + "/no-such-model"),
                                          dataFiles: [try MLBacktestTests.later()], store: store, alerting: NoAlerting())
        }
        await #expect(throws: MLBacktestError.self) {
            _ = try await PaperRunner.run(config: try Self.config(), dataFiles: [MLBacktestTests.source], store: store, alerting: NoAlerting())
        }
        #expect(try store.runs().isEmpty)
    }

    // MARK: - Live

    /// The preflight accepts `ml-ensemble` × `validator` × `exit-engine` and refuses the sizer,
    /// the reference bracket, a missing model and a session inside the training window.
    @Test func livePreflightAcceptsTheValidatedModelAndRefusesTheRest() throws {
        let env = LiveCompositionTests.env
        let after = Timestamp(milliseconds: MLBacktestTests.laterStart.milliseconds + 86_400_000)
        let plan = try LiveBuilds.check(config: try Self.config(), confirmLive: true, environment: env, keyFile: nil, repositoryRoot: nil,
                                           symbols: ["FILUSDT"], now: after)
        #expect(plan.network == .testnet)
        let refusals: [(AppConfig, Timestamp, String)] = [
            (try Self.config(gate: "fixed-notional"), after, "entry_gate = \"validator\""),
            (try Self.config(policy: "reference-bracket"), after, "live trading requires \"exit-engine\""),
            (try Self.config(gate: "fixed-notional", policy: "reference-bracket"), after, "live trading requires \"exit-engine\""),
            (try Self.config(model: MLBacktestTests.base + "/no-such-model"), after, "cannot be used"),
            (try Self.config(), Timestamp(milliseconds: MLBacktestTests.trainingEnd.milliseconds - 86_400_000), "overlaps the training window"),
        ]
        for (config, now, message) in refusals {
            #expect {
                try LiveBuilds.check(config: config, confirmLive: true, environment: env, keyFile: nil, repositoryRoot: nil,
                                        symbols: ["FILUSDT"], now: now)
            } throws: { error in
                let text = "\(error)"
                return text.contains(message) && !text.contains("\n")
            }
        }
    }

    /// The live back-fill covers the features: exactly the plan's history (a start at any minute)
    /// gives the model a complete feature vector at the last closed bar; one hour less does not.
    @Test func theLiveWarmUpCoversTheModelsFeatures() throws {
        let maker = try MLEnsembleMaker(strategy: try #require(try Self.config().strategy), symbols: ["FILUSDT"],
                                        periodStart: MLBacktestTests.laterStart, periodEnd: MLBacktestTests.laterStart)
        var validation = ValidationSettings()
        validation.trend.isEnabled = false
        validation.regime.isEnabled = false
        validation.correlation.isEnabled = false
        let plan = WarmUpPlan(validation: validation, strategyHours: maker.warmUp.hours, strategyBars: maker.warmUp.bars, symbols: ["FILUSDT"])
        #expect(plan.requiredHours == FeatureEngine.warmUp.hourBars && plan.requiredHours == 232)
        // With the validator's default checks the longer need wins (the model's 232 hours over the trend's 205).
        let withTrend = WarmUpPlan(validation: ValidationSettings(), strategyHours: maker.warmUp.hours, strategyBars: maker.warmUp.bars,
                                   symbols: ["FILUSDT"])
        #expect(withTrend.requiredHours == 232)
        let candles = try CandleReader.readAll(path: try MLBacktestTests.later(), interval: .oneMinute).candles
        let ensemble = try SignalEnsemble.load(directory: try MLBacktestTests.prepared.get().model)
        for minutesIntoHour: Int64 in [0, 1, 30, 59] {
            let now = Timestamp(milliseconds: MLBacktestTests.laterStart.milliseconds + 11 * 86_400_000 + minutesIntoHour * 60_000 + 15_000)
            let range = plan.range(now: now)
            func lastVector(from start: Timestamp) throws -> FeatureVector? {
                var pipeline = FeaturePipeline(featureSet: ensemble.featureSet, contextSource: nil)
                var last: FeatureVector?
                for candle in candles where candle.openTime >= start && candle.openTime <= range.end {
                    last = try pipeline.onCandle(candle, symbol: "FILUSDT")
                }
                return last
            }
            // The plan reaches back at least the warm-up's complete clock hours before the last closed minute…
            let hour: Int64 = 3_600_000, hours = Int64(FeatureEngine.warmUp.hourBars)
            let closed = range.end.milliseconds + 60_000
            let lastBoundary = closed - closed % hour
            #expect(range.start.milliseconds <= lastBoundary - hours * hour, "now \(now)")
            #expect(try lastVector(from: range.start) != nil, "now \(now)")
            // …and one hour less is not enough: no features, so no signal (nothing replaces them).
            #expect(try lastVector(from: Timestamp(milliseconds: lastBoundary - (hours - 1) * hour)) == nil, "now \(now)")
        }
    }

    /// `qt live` with the model: loaded before the session (a missing one is refused before any
    /// venue call), the back-fill as long as its features need, the run labelled with the model's
    /// version, no order without a signal.
    @Test func liveTradingRunsTheModelThroughTheValidatedComposition() async throws {
        let config = try Self.config()
        let env = LiveCompositionTests.env
        let clock = ManualClock(LiveHarness.start)
        // A missing model: refused by the builder, before the venue is asked anything.
        let refusedConnector = PushConnector()
        let refusedVenue = FakeBinanceVenue(connector: refusedConnector, clock: clock)
        #expect {
            try TraderBuilder(LiveBuilds.isolated(try Self.config(model: MLBacktestTests.base + "/no-such-model")),
                              environment: LiveBuilds.environment(variables: env, clock: clock,
                                                                  base: TraderEnvironment(transport: refusedVenue, connector: refusedConnector,
                                                                                          logger: Self.logger, signals: [])))
                .build(.live(LiveRequest(symbols: ["ATOMUSDT"], confirmLive: true)))
        } throws: { error in
            guard let error = error as? StartupError else { return false }
            return error.code == .model && error.field == "[strategy] model_dir" && error.cause is MLBacktestError
        }
        #expect(refusedVenue.sent(.get, "/fapi/v1/time").isEmpty)

        let connector = PushConnector()
        let venue = FakeBinanceVenue(connector: connector, clock: clock)
        venue.serveKlines(WarmUpValidatorTests.history)
        let store = InMemoryTradeStore()
        var base = TraderEnvironment(transport: venue, connector: connector, logger: Self.logger, timerInterval: .seconds(7 * 86_400), signals: [])
        base.shutdown = {
            await connector.connections.wait { urls in
                urls.contains { $0.contains("/market/") } && urls.contains { !$0.contains("/market/") }
            }
        }
        let trader = try TraderBuilder(LiveBuilds.isolated(config), environment: LiveBuilds.environment(variables: env, store: store, clock: clock, base: base))
            .build(.live(LiveRequest(symbols: ["ATOMUSDT"], confirmLive: true)))
        guard case .live(let result) = try await trader.run() else {
            Issue.record("a live trader produced another outcome")
            return
        }
        #expect(result.trades.isEmpty && result.openPositions.isEmpty)
        #expect(result.notes.contains { $0.contains("(out of sample)") })
        let version = try SignalEnsemble.load(directory: try MLBacktestTests.prepared.get().model).version
        let run = try #require(try store.runs().first)
        #expect(run.detail.hasPrefix("ml-ensemble@\(version)/validator/exit-engine live on testnet"))
        // The back-fill: the warm-up's complete hours + the current one's closed minutes, in pages of 1500.
        let warmUp = WarmUpPlan(validation: config.validation, strategyHours: FeatureEngine.warmUp.hourBars,
                                strategyBars: FeatureEngine.warmUp.minuteBars, symbols: ["ATOMUSDT"])
        let bars = warmUp.range(now: LiveHarness.start).bars
        #expect(bars >= FeatureEngine.warmUp.hourBars * 60)
        #expect(venue.sent(.get, "/fapi/v1/klines").count == (bars + 1499) / 1500)
        #expect(venue.sent(.post, "/fapi/v1/order").isEmpty)
        // Warm: entries would be allowed (the model's history is complete), no model alert.
        #expect(try store.alerts(runID: result.runID).contains { $0.alert.kind == "runtime.warm_up_complete" })
        #expect(try !store.alerts(runID: result.runID).contains { $0.alert.kind.family == .ml })
    }

    /// No fallback in a real-time runtime either: a bar the model cannot process (here the same
    /// minute twice, as a misbehaving feed would send it) gives no signal, and the critical alert
    /// is recorded and delivered by the runtime as it happens, not only kept by the model.
    @Test func aModelErrorInTheRuntimeIsACriticalAlertNotASignal() async throws {
        let candles = try CandleReader.readAll(path: try MLBacktestTests.later(), interval: .oneMinute).candles.prefix(120)
        let start = try #require(candles.first?.openTime)
        let strategy = try #require(try Self.config().strategy)
        let maker = try MLEnsembleMaker(strategy: strategy, symbols: ["ATOMUSDT"], periodStart: start, periodEnd: start)
        let composition = try LiveComposition(config: try Self.config(), maker: maker, barInterval: .seconds(60), start: start, store: nil)
        let clock = ManualClock(start)
        let store = InMemoryTradeStore()
        let runID = try store.beginRun(RunRecord(kind: .live, startedAt: start, configHash: "test", detail: "ml runtime test"))
        let alerting = RecordingAlerting()
        let runtime = try composition.makeRuntime(instruments: [LiveHarness.atom], client: FakeExecutionClient(inbox: ExecutionInbox(), clock: clock),
                                                  store: store, runID: runID, alerting: alerting, clock: clock)
        for candle in candles {
            clock.set(candle.openTime.advanced(by: .seconds(60)))
            await runtime.handle(.market(.candle("ATOMUSDT", candle, interval: .seconds(60))))
        }
        #expect(await runtime.alerts.allSatisfy { $0.kind.family != .ml })
        let repeated = try #require(candles.last)
        await runtime.handle(.market(.candle("ATOMUSDT", repeated, interval: .seconds(60))))
        let modelAlerts = await runtime.alerts.filter { $0.kind == MLSignalSource.modelErrorAlert }
        #expect(modelAlerts.count == 1 && modelAlerts.first?.severity == .critical && modelAlerts.first?.symbol == "ATOMUSDT")
        #expect(try store.alerts(runID: runID).filter { $0.alert.kind == MLSignalSource.modelErrorAlert }.count == 1)
        #expect(alerting.delivered.contains { $0.kind == MLSignalSource.modelErrorAlert })
        #expect(try store.decisions(runID: runID).isEmpty)
    }
}
