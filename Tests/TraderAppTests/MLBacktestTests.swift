import CandleData
import Foundation
import Signals
import Testing
import TradingConfig
import TradingEngine
import TradingModel
import TradingTestSupport
import TraderApp
import Backtest

/// `qt backtest` with `[strategy] name = "ml-ensemble"`: a tiny model trained on FILUSDT
/// 2023-02-01..14 (in a temporary folder), backtested on the same month (overlap: refused unless
/// forced) and on 2023-02-16..28 written as a separate file (out of sample).
@Suite(.serialized, .ownThread) struct MLBacktestTests {
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
        let model = base + "/model"
        _ = try train(directory: model)
        // The later period as its own file (the reader takes the symbol and interval from the name).
        var text = CandleReader.header + "\n"
        for candle in try CandleReader.readAll(path: source, interval: .oneMinute).candles where candle.openTime >= laterStart {
            text += "\(candle.openTime.milliseconds),\(candle.open),\(candle.high),\(candle.low),\(candle.close),\(candle.volume),"
            text += "\(candle.quoteVolume.map { "\($0)" } ?? ""),\(candle.tradeCount.map { "\($0)" } ?? ""),"
            text += "\(candle.takerBuyVolume.map { "\($0)" } ?? "")\n"
        }
        let later = base + "/FILUSDT-1m-2023-02-16_2023-02-28.csv"
        try text.write(toFile: later, atomically: true, encoding: .utf8)
        return (model, later)
    }

    /// The tiny model (XGBoost + LightGBM, 15 rounds of depth 3) on FILUSDT 2023-02-01..14,
    /// written to `directory`. Seeded and single-threaded: the same files every time.
    static func train(directory: String) throws -> SignalEnsemble {
        let (plan, dataset) = try trainingSet()
        return try EnsembleTrainer.trainFinal(dataset: dataset, plan: plan, symbols: ["FILUSDT"], directory: directory)
    }

    /// The tiny model's plan and training samples.
    static func trainingSet() throws -> (plan: TrainingPlan, dataset: SignalDataset) {
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
        return (plan, dataset)
    }

    static func config(model: String, threshold: Double = 0.5, forceOverlap: Bool = false, extra: String = "",
                       storePath: String? = nil) throws -> AppConfig {
        let text = """
        \(storePath.map { "[storage]\npath = \"\($0)\"" } ?? "")
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
        #expect(!result.output.trades.isEmpty)
        // The report itself says so, not only the terminal.
        let report = try String(contentsOfFile: result.outputDirectory + "/report.html", encoding: .utf8)
        #expect(report.contains("(IN-SAMPLE)"))
        // The CLI flag maps to the same setting.
        var config = try Self.config(model: model)
        config.strategy?.mlEnsemble?.forceOverlap = true
        let again = try BacktestRunner.run(config: config, dataFiles: [Self.source], outputDirectory: Self.base + "/run-forced-flag")
        #expect(again.output.trades == result.output.trades)
        #expect(again.notes.contains { $0.contains("IN-SAMPLE") })
    }

    @Test func aLaterPeriodTradesOnlyModelSignals() throws {
        let (model, later) = try Self.prepared.get()
        let out = Self.base + "/run-later"
        // The SQLite store `qt backtest` writes (the configured [storage] path).
        let config = try Self.config(model: model, storePath: Self.base + "/later.sqlite")
        let store = try TradeStoreFactory.make(config.storage, forBacktest: true)
        let result = try BacktestRunner.run(config: config, dataFiles: [later], outputDirectory: out, store: store)
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
        #expect(run.detail.hasPrefix(expectedSource + "/fixed-notional/reference-bracket on ") && run.configHash == config.fingerprint)
        let records = try store.decisions(runID: try #require(run.id))
        #expect(records.count == result.output.decisions.count)
        #expect(records.allSatisfy { $0.signal.source == expectedSource && $0.signal.featureHash != nil })
        // Each with the model's calibrated confidence, as judged (SQLite REAL keeps the Double exactly).
        #expect(records.map(\.signal) == result.output.decisions.map { Self.judged($0.decision) })
        #expect(records.allSatisfy { ($0.signal.confidence ?? 0) >= 0.5 })
        #expect(records.map(\.approved) == result.output.decisions.map(\.decision.isApproved))
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
        let warm = (FeatureEngine.warmUp.hourBars + 2) * 60  // past the warm-up, with decision bars
        var raised: [Alert] = []
        for candle in candles.prefix(warm) {
            _ = symbolStrategy.onBar(candle, closeTime: Timestamp(milliseconds: candle.openTime.milliseconds + 60_000), alerts: &raised)
        }
        #expect(source.predictions > 0 && source.alerts.isEmpty && raised.isEmpty)
        // The same minute again (out of order): refused, no signal, one critical alert, returned
        // with the bar's (absent) signal for the kernel to emit.
        let repeated = candles[warm - 1]
        let signal = symbolStrategy.onBar(repeated, closeTime: Timestamp(milliseconds: repeated.openTime.milliseconds + 60_000), alerts: &raised)
        #expect(signal == nil)
        #expect(source.alerts.count == 1)
        #expect(source.alerts.first?.severity == .critical && source.alerts.first?.kind == MLSignalSource.modelErrorAlert)
        #expect(raised == source.alerts)
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

    /// Independent of the strategy and the kernel: the same features through each member, the
    /// calibrated probabilities averaged by hand and the decision rule written out. The backtest's
    /// signals must be exactly these (same bars, sides, confidences, feature hashes).
    @Test func signalsCarryTheEnsemblesCalibratedProbability() throws {
        let (model, later) = try Self.prepared.get()
        let threshold = 0.55
        let result = try BacktestRunner.run(config: try Self.config(model: model, threshold: threshold), dataFiles: [later],
                                            outputDirectory: Self.base + "/run-calibrated")
        let ensemble = try SignalEnsemble.load(directory: model)
        let candles = try CandleReader.readAll(path: later, interval: .oneMinute).candles
        var pipeline = FeaturePipeline(featureSet: ensemble.featureSet, contextSource: nil)
        var expected: [Signal] = []
        var decisionBars = 0
        var calibrationChangedAnswer = false
        for candle in candles {
            guard let vector = try pipeline.onCandle(candle, symbol: "FILUSDT"), vector.time.milliseconds % 900_000 == 0 else { continue }
            decisionBars += 1
            let matrix = try FeatureMatrix(featureSet: ensemble.featureSet, vector: vector)
            var calibrated = [0.0, 0.0, 0.0]
            var raw = [0.0, 0.0, 0.0]
            // The members' calibrated probabilities, weighted as the manifest says (out-of-fold weights).
            for (member, weight) in zip(ensemble.members, ensemble.weights) {
                let answer = try member.predictProbabilities(matrix)
                for index in 0..<3 {
                    calibrated[index] += weight * answer.calibrated[0].values[index]
                    raw[index] += weight * answer.raw[0].values[index]
                }
            }
            let probabilities = ClassProbabilities(calibrated).normalized()
            let rawProbabilities = ClassProbabilities(raw).normalized()
            if zip(rawProbabilities.values, probabilities.values).contains(where: { abs($0 - $1) > 1e-6 }) { calibrationChangedAnswer = true }
            // Decision rule: the likelier side, if ≥ threshold and strictly above both other classes.
            let side: Side = probabilities.long >= probabilities.short ? .long : .short
            let confidence = side == .long ? probabilities.long : probabilities.short
            let other = side == .long ? probabilities.short : probabilities.long
            guard confidence >= threshold, confidence > probabilities.none, confidence > other else { continue }
            expected.append(Signal(symbol: "FILUSDT", side: side, confidence: confidence, time: vector.time,
                                   source: "ml-ensemble@\(ensemble.version)", featureHash: vector.hash))
        }
        #expect(decisionBars > 300)  // 13 days of 15-minute bars, the first 232 hours of them warm-up
        #expect(!expected.isEmpty && expected.count < decisionBars)  // it trades, and it abstains
        #expect(calibrationChangedAnswer)  // the confidence is the calibrated probability, not the raw one
        #expect(result.signals == expected)
        #expect(result.notes.contains { $0.contains("\(decisionBars) decision bars: \(expected.count) signals") })
    }

    /// Same model files and data, twice (and a second training with the same plan): the same
    /// model version, signals, decisions, fills, trades and run files.
    @Test func sameInputsGiveTheSameModelSignalsAndTrades() throws {
        let (model, later) = try Self.prepared.get()
        let first = try BacktestRunner.run(config: try Self.config(model: model), dataFiles: [later], outputDirectory: Self.base + "/run-same-1")
        let second = try BacktestRunner.run(config: try Self.config(model: model), dataFiles: [later], outputDirectory: Self.base + "/run-same-2")
        #expect(!first.output.trades.isEmpty)
        #expect(first.signals == second.signals)
        #expect(first.output.decisions == second.output.decisions)
        #expect(first.output.fills == second.output.fills)
        #expect(first.output.trades == second.output.trades)
        #expect(first.output.finalEquity == second.output.finalEquity)
        for file in ["trades.csv", "equity.csv", "signals.csv"] {
            let one = try String(contentsOfFile: first.outputDirectory + "/" + file, encoding: .utf8)
            let two = try String(contentsOfFile: second.outputDirectory + "/" + file, encoding: .utf8)
            #expect(one == two, "\(file) differs between identical runs")
        }
        // Training is seeded and single-threaded: retraining gives byte-identical model files.
        let retrained = try Self.train(directory: Self.base + "/model-retrained")
        #expect(retrained.version == (try SignalEnsemble.load(directory: model)).version)
    }

    /// The refusal boundary is the label horizon: the last training labels looked 60 bars past
    /// the last training candle, so a period may start only after that.
    @Test func theOverlapBoundaryIsTheEndOfTheTrainingLabels() throws {
        let (model, _) = try Self.prepared.get()
        let ensemble = try SignalEnsemble.load(directory: model)
        let trainingEnd = ensemble.manifest.trainingEnd.milliseconds  // open time of 2023-02-14T23:59
        #expect(trainingEnd == Self.trainingEnd.milliseconds - 60_000)
        // horizon end = last training close + 60 bars = trainingEnd + 61 min
        let horizonEnd = trainingEnd + 61 * 60_000
        func prepare(start: Int64, end: Int64, force: Bool = false) throws(MLBacktestError) -> MLStrategyFactory.Prepared {
            try MLStrategyFactory.prepare(ensemble: ensemble, settings: MLEnsembleSettings(modelDirectory: model, threshold: 0.5, forceOverlap: force),
                                          stopLoss: Rate("0.004")!, takeProfit: Rate("0.004")!, symbols: ["FILUSDT"],
                                          periodStart: Timestamp(milliseconds: start), periodEnd: Timestamp(milliseconds: end),
                                          barInterval: .seconds(60))
        }
        let day: Int64 = 86_400_000
        #expect(throws: MLBacktestError.self) { try prepare(start: horizonEnd, end: horizonEnd + day) }
        #expect(throws: MLBacktestError.self) { try prepare(start: trainingEnd - day, end: trainingEnd - day + 60_000) }  // inside
        #expect(throws: MLBacktestError.self) { try prepare(start: trainingEnd - 30 * day, end: trainingEnd + 30 * day) }  // around
        let after = try prepare(start: horizonEnd + 60_000, end: horizonEnd + day)
        #expect(!after.inSample && after.notes.contains { $0.contains("(out of sample)") })
        let forced = try prepare(start: horizonEnd, end: horizonEnd + day, force: true)
        #expect(forced.inSample && forced.notes.contains { $0.contains("IN-SAMPLE") })
        // Five-minute data is refused: the features are built from one-minute candles.
        #expect(throws: MLBacktestError.notOneMinuteData(intervalSeconds: 300)) {
            try MLStrategyFactory.prepare(ensemble: ensemble, settings: MLEnsembleSettings(modelDirectory: model, threshold: 0.5),
                                          stopLoss: Rate("0.004")!, takeProfit: Rate("0.004")!, symbols: ["FILUSDT"],
                                          periodStart: Timestamp(milliseconds: horizonEnd + day), periodEnd: Timestamp(milliseconds: horizonEnd + 2 * day),
                                          barInterval: .seconds(300))
        }
    }

    /// Fail closed: no model is refused before anything is written (under every wiring).
    @Test(arguments: [("fixed-notional", "reference-bracket"), ("validator", "exit-engine")])
    func aMissingModelIsRefusedBeforeWriting(gate: String, policy: String) throws {
        let (_, later) = try Self.prepared.get()
        let out = Self.base + "/run-refused-\(gate)-\(policy)"
        var config = try Self.config(model: Self.base + "/no-such-model")
        config.execution.policy = try #require(ExecutionPolicy(rawValue: policy))
        config.strategy?.entryGate = try #require(StrategySettings.EntryGateName(rawValue: gate))
        #expect {
            try BacktestRunner.run(config: config, dataFiles: [later], outputDirectory: out)
        } throws: { error in
            guard let error = error as? MLBacktestError, case .modelUnavailable(let directory, let reason) = error else { return false }
            return directory.hasSuffix("/no-such-model") && reason.contains("qt train")
        }
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    static func judged(_ decision: EntryDecision) -> Signal {
        switch decision {
        case .approved(let entry): entry.signal
        case .rejected(let signal, _): signal
        }
    }

    static func later() throws -> String { try prepared.get().later }
}
