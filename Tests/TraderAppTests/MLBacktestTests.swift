import CandleData
import Foundation
import Signals
import Testing
import TradingConfig
import TradingEngine
import TradingModel
import TradingTestSupport
import TraderApp

/// `qt backtest` with `[strategy] name = "ml-ensemble"`: a tiny model trained on FILUSDT
/// 2023-02-01..14 (in a temporary folder), backtested on the same month (overlap: refused unless
/// forced) and on 2023-02-16..28 written as a separate file (out of sample).
@Suite(.serialized) struct MLBacktestTests {
    static let source = BacktestConfigTests.root + "/data/binance-usdm/FILUSDT-1m-2023-02-01_2023-02-28.csv.gz"
    static let base = FileManager.default.temporaryDirectory.appendingPathComponent("qt-ml-backtest-\(getpid())").path
    static let trainingEnd = Timestamp(milliseconds: 1_676_419_200_000)  // 2023-02-15T00:00Z (exclusive)
    static let laterStart = Timestamp(milliseconds: 1_676_505_600_000)   // 2023-02-16T00:00Z
    /// Barriers of the tiny model (symmetric 0.4%, one hour): LONG/SHORT common enough to signal.
    static let labels = TripleBarrierSettings(takeProfitPriceMove: 0.004, stopPriceMove: 0.004, horizonBars: 60, roundTripFeeRate: 0.001)

    /// Trains once: (model directory, later-period data file).
    static let prepared: Result<(model: String, later: String), any Error> = Result {
        try? FileManager.default.removeItem(atPath: base)
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        let candles = try CandleReader.readAll(path: source, interval: .oneMinute).candles
        let training = candles.filter { $0.openTime < trainingEnd }
        let plan = TrainingPlan(labelSettings: labels, decisionIntervalMinutes: 15,
                                walkForward: WalkForwardSettings(folds: 1, initialTrainingFraction: 0.5, calibrationFraction: 0.25, embargoMinutes: 60),
                                boosting: BoostingSettings(rounds: 15, learningRate: 0.1, maxDepth: 3, minChildSamples: 20, rowSubsample: 1,
                                                           columnSubsample: 1, seed: 7),
                                contextSymbol: nil, basketContext: false)
        let symbol: Symbol = "FILUSDT"
        let dataset = try SignalDataset.build(candles: [symbol: training], featureSet: plan.featureSet(symbols: [symbol]),
                                              labelSettings: labels, decisionIntervalMinutes: 15, contextSource: nil)
        let model = base + "/model"
        _ = try EnsembleTrainer.trainFinal(dataset: dataset, plan: plan, symbols: [symbol], directory: model)
        // The later period as its own file (the reader takes the symbol and interval from the name).
        var text = CandleReader.header + "\n"
        for candle in candles where candle.openTime >= laterStart {
            text += "\(candle.openTime.milliseconds),\(candle.open),\(candle.high),\(candle.low),\(candle.close),\(candle.volume),"
            text += "\(candle.quoteVolume.map { "\($0)" } ?? ""),\(candle.tradeCount.map { "\($0)" } ?? ""),"
            text += "\(candle.takerBuyVolume.map { "\($0)" } ?? "")\n"
        }
        let later = base + "/FILUSDT-1m-2023-02-16_2023-02-28.csv"
        try text.write(toFile: later, atomically: true, encoding: .utf8)
        return (model, later)
    }

    static func config(model: String, threshold: Double = 0.5, forceOverlap: Bool = false, extra: String = "") throws -> AppConfig {
        let text = """
        [execution]
        policy = "reference-bracket"
        [strategy]
        name = "ml-ensemble"
        entry_gate = "fixed-notional"
        model_dir = "\(model)"
        threshold = \(threshold)
        force_overlap = \(forceOverlap)
        stop_loss = 0.004
        take_profit = 0.004
        \(extra)
        [backtest]
        default_leverage = 1
        """
        return try AppConfig(from: try ConfigDocument.parse(text: text, file: "ml-test.toml"))
    }

    @Test func aPeriodOverlappingTrainingIsRefusedNamingBothWindows() throws {
        let (model, _) = try Self.prepared.get()
        let out = Self.base + "/run-overlap"
        do {
            _ = try BacktestRunner.run(config: try Self.config(model: model), dataFiles: [Self.source], outputDirectory: out)
            Issue.record("an overlapping period must be refused")
        } catch let error as MLBacktestError {
            guard case let .periodOverlapsTraining(periodStart, periodEnd, trainingStart, trainingEnd, horizonEnd, directory) = error else {
                Issue.record("wrong error \(error)")
                return
            }
            #expect(periodStart.iso8601.hasPrefix("2023-02-01T00:00") && periodEnd.iso8601.hasPrefix("2023-02-28T23:59"))
            #expect(trainingStart.iso8601.hasPrefix("2023-02-01T00:00") && trainingEnd.iso8601.hasPrefix("2023-02-14T23:59"))
            // label horizon: 60 bars after the last training candle's close
            #expect(horizonEnd.milliseconds == trainingEnd.milliseconds + 61 * 60_000)
            #expect(directory == model)
            for text in [periodStart.iso8601, periodEnd.iso8601, trainingStart.iso8601, trainingEnd.iso8601, "--force-overlap"] {
                #expect(error.description.contains(text))
            }
        }
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func forcedOverlapRunsAndIsLabelledInSample() throws {
        let (model, _) = try Self.prepared.get()
        let result = try BacktestRunner.run(config: try Self.config(model: model, forceOverlap: true), dataFiles: [Self.source],
                                            outputDirectory: Self.base + "/run-forced")
        #expect(result.output.bars == 40_320)  // 28 days × 1440 minutes
        #expect(result.output.alerts.contains { $0.kind == "ml.in_sample_period" })
        #expect(result.notes.contains { $0.contains("IN-SAMPLE") })
        // The CLI flag maps to the same setting.
        var config = try Self.config(model: model)
        config.strategy?.mlEnsemble?.forceOverlap = true
        let again = try BacktestRunner.run(config: config, dataFiles: [Self.source], outputDirectory: Self.base + "/run-forced-flag")
        #expect(again.output.trades == result.output.trades)
    }

    @Test func aLaterPeriodTradesOnlyModelSignals() throws {
        let (model, later) = try Self.prepared.get()
        let store = InMemoryTradeStore()
        let out = Self.base + "/run-later"
        let result = try BacktestRunner.run(config: try Self.config(model: model), dataFiles: [later], outputDirectory: out, store: store)
        let ensemble = try SignalEnsemble.load(directory: model)
        let expectedSource = "ml-ensemble@\(ensemble.version)"
        #expect(!result.signals.isEmpty)
        #expect(!result.output.decisions.isEmpty)
        #expect(!result.output.trades.isEmpty)
        #expect(result.notes.contains { $0.contains("(out of sample)") })
        #expect(!result.output.alerts.contains { $0.kind == "ml.in_sample_period" })
        for signal in result.signals {
            #expect(signal.source == expectedSource)
            #expect(signal.featureHash?.count == 16)
            #expect((signal.confidence ?? 0) >= 0.5)
            #expect(signal.time.milliseconds % 900_000 == 0)  // decision bars every 15 minutes
        }
        // Every judged signal went through the gate and is one the model produced.
        let produced = Set(result.signals)
        for decision in result.output.decisions {
            switch decision.decision {
            case .approved(let entry): #expect(produced.contains(entry.signal))
            case .rejected(let signal, _): #expect(produced.contains(signal))
            }
        }
        // Recorded in the store under the model's version, each decision with its source and hash.
        let run = try #require(try store.runs().first)
        #expect(run.configHash == expectedSource)
        let records = try store.decisions(runID: try #require(run.id))
        #expect(records.count == result.output.decisions.count)
        #expect(records.allSatisfy { $0.signal.source == expectedSource && $0.signal.featureHash != nil })
        // signals.csv lists every signal with its outcome.
        let csv = try String(contentsOfFile: out + "/signals.csv", encoding: .utf8)
        let rows = csv.split(separator: "\n").dropFirst()
        #expect(rows.count == result.signals.count)
        #expect(rows.allSatisfy { $0.contains(expectedSource) })
        #expect(rows.filter { $0.hasSuffix(",approved") }.count == result.output.decisions.filter(\.decision.isApproved).count)
    }

    @Test func aModelDirectoryWithMismatchedFeaturesIsRefusedBeforeTrading() throws {
        let (model, later) = try Self.prepared.get()
        let tampered = Self.base + "/model-mismatch"
        try? FileManager.default.removeItem(atPath: tampered)
        try FileManager.default.copyItem(atPath: model, toPath: tampered)
        // A model that claims a feature this build does not compute (renamed column).
        let manifestPath = tampered + "/" + EnsembleManifest.fileName
        let manifest = try String(contentsOfFile: manifestPath, encoding: .utf8)
        #expect(manifest.contains("\"m1.rsi\""))
        try manifest.replacingOccurrences(of: "\"m1.rsi\"", with: "\"m1.rsi_21\"").write(toFile: manifestPath, atomically: true, encoding: .utf8)
        let out = Self.base + "/run-mismatch"
        #expect {
            try BacktestRunner.run(config: try Self.config(model: tampered), dataFiles: [later], outputDirectory: out)
        } throws: { error in
            guard let error = error as? MLBacktestError, case .featureMismatch(let directory, let reason) = error else { return false }
            return directory == tampered && reason.contains("m1.rsi")
        }
        #expect(!FileManager.default.fileExists(atPath: out))
        // A feature set this build does not compute is refused even when the files agree with each other.
        var other = FeatureSet.standard(marketContext: false)
        other.version = 2
        #expect(throws: MLBacktestError.self) { try MLStrategyFactory.checkFeatures(other, context: nil, directory: "m") }
        #expect(throws: MLBacktestError.self) {
            try MLStrategyFactory.checkFeatures(.standard(marketContext: true), context: nil, directory: "m")
        }
        #expect(throws: Never.self) { try MLStrategyFactory.checkFeatures(.standard(marketContext: false), context: nil, directory: "m") }
    }

    @Test func exitLevelsOtherThanTheLabelBarriersAreRefused() throws {
        let (model, later) = try Self.prepared.get()
        let text = """
        [execution]
        policy = "reference-bracket"
        [strategy]
        name = "ml-ensemble"
        entry_gate = "fixed-notional"
        model_dir = "\(model)"
        threshold = 0.6
        stop_loss = 0.012
        take_profit = 0.004
        """
        let config = try AppConfig(from: try ConfigDocument.parse(text: text, file: "t.toml"))
        #expect {
            try BacktestRunner.run(config: config, dataFiles: [later], outputDirectory: Self.base + "/run-levels")
        } throws: { error in
            guard let error = error as? MLBacktestError, case .exitLevelsDiffer(_, let key, _, _) = error else { return false }
            return key == "stop_loss"
        }
    }

    /// No fallback: a prediction failure gives no signal and a critical alert.
    @Test func aModelErrorGivesNoSignalAndACriticalAlert() throws {
        let (model, _) = try Self.prepared.get()
        let ensemble = try SignalEnsemble.load(directory: model)
        let candles = try CandleReader.readAll(path: Self.later(), interval: .oneMinute).candles
        let strategy = try MLEnsembleStrategy(ensemble: ensemble, threshold: 0.5, periodStart: candles[0].openTime, periodEnd: candles.last!.openTime)
        let source = MLSignalSource(strategy: strategy)
        var symbolStrategy = MLEnsembleSymbolStrategy(symbol: "FILUSDT", source: source)
        for candle in candles.prefix(3000) { _ = symbolStrategy.onBar(candle, closeTime: Timestamp(milliseconds: candle.openTime.milliseconds + 60_000)) }
        #expect(source.predictions > 0 && source.alerts.isEmpty)
        // The same minute again (out of order): refused, no signal, one critical alert.
        let repeated = candles[2999]
        let signal = symbolStrategy.onBar(repeated, closeTime: Timestamp(milliseconds: repeated.openTime.milliseconds + 60_000))
        #expect(signal == nil)
        #expect(source.alerts.count == 1)
        #expect(source.alerts.first?.severity == .critical && source.alerts.first?.kind == MLSignalSource.modelErrorAlert)
    }

    @Test func strategyKeysBelongToTheirStrategy() throws {
        #expect(throws: ConfigErrorList.self) { _ = try Self.config(model: "m", extra: "fast_period = 5") }
        let missingModel = """
        [execution]
        policy = "reference-bracket"
        [strategy]
        name = "ml-ensemble"
        entry_gate = "fixed-notional"
        threshold = 0.6
        """
        #expect(throws: ConfigErrorList.self) { _ = try AppConfig(from: try ConfigDocument.parse(text: missingModel, file: "t.toml")) }
        let emaWithModel = """
        [execution]
        policy = "reference-bracket"
        [strategy]
        name = "ema-cross"
        entry_gate = "fixed-notional"
        model_dir = "m"
        """
        #expect(throws: ConfigErrorList.self) { _ = try AppConfig(from: try ConfigDocument.parse(text: emaWithModel, file: "t.toml")) }
        let example = try AppConfig.load(path: BacktestConfigTests.root + "/examples/ml-ensemble.toml")
        #expect(example.strategy?.name == .mlEnsemble)
        #expect(example.strategy?.mlEnsemble == MLEnsembleSettings(modelDirectory: "runs/model-fil", threshold: 0.6, forceOverlap: false))
    }

    static func later() throws -> String { try prepared.get().later }
}
