import Foundation
import Signals
import Testing
import TradingModel
import TradingTestSupport
import TradingEngine

@Suite(.serialized, .ownThread) struct StrategyTests {
    static let symbol: Symbol = "TESTUSDT"

    /// Minutes in front of the scenario for the features' warm-up: index `w + k` is minute `k`
    /// of the scenario these tests were written for (feeding starts at 7000, at least `w`
    /// before the period); another `w` at the end lets the gap test rewarm.
    static let w = SyntheticMarket.warmUpMinutes
    var w: Int { Self.w }

    /// Trains a small ensemble on the first 9000 scenario minutes (after the warm-up) of a
    /// planted-edge market and returns it with the later candles (out of sample).
    static func trainedEnsemble(_ name: String) throws -> (SignalEnsemble, [Candle]) {
        let candles = SyntheticMarket.candles(seed: 41, count: 2 * w + 13_000, regimeDrift: 0.00012, regimeMinutes: 600)
        let training = Array(candles.prefix(w + 9000))
        let data = try SignalDataset.build(candles: [symbol: training], featureSet: .standard(marketContext: false),
                                           labelSettings: SyntheticMarket.testLabels, decisionIntervalMinutes: 5, contextSource: nil)
        let directory = SyntheticMarket.temporaryDirectory("ensemble-\(name)")
        _ = try EnsembleTrainer.trainFinal(dataset: data, plan: SyntheticMarket.plan(), symbols: [symbol], directory: directory)
        return (try SignalEnsemble.load(directory: directory), candles)
    }

    @Test func refusesAPeriodOverlappingTraining() throws {
        let (ensemble, candles) = try Self.trainedEnsemble("overlap")
        #expect(throws: MLStrategyError.self) {
            _ = try MLEnsembleStrategy(ensemble: ensemble, threshold: 0.6, periodStart: candles[w + 8000].openTime, periodEnd: candles[w + 12_000].openTime)
        }
        #expect(throws: Never.self) {
            _ = try MLEnsembleStrategy(ensemble: ensemble, threshold: 0.6, periodStart: candles[w + 8000].openTime,
                                       periodEnd: candles[w + 12_000].openTime, force: true)
        }
        #expect(throws: MLStrategyError.self) {
            _ = try MLEnsembleStrategy(ensemble: ensemble, threshold: 0.4, periodStart: candles[w + 9500].openTime, periodEnd: candles[w + 12_000].openTime)
        }
    }

    /// Out of sample, signals come only from the models: each has the model version, a feature
    /// hash, a confidence at or above the threshold, and appears only on decision bars.
    @Test func signalsCarryModelVersionAndFeatureHash() throws {
        let (ensemble, candles) = try Self.trainedEnsemble("signals")
        var strategy = try MLEnsembleStrategy(ensemble: ensemble, threshold: 0.5, periodStart: candles[w + 9300].openTime,
                                              periodEnd: candles.last!.openTime)
        var signals: [Signal] = []
        // warm the features on the candles before the period (`FeatureEngine.warmUp`)
        for candle in candles[7000...] {
            if let signal = try strategy.onCandle(candle, symbol: Self.symbol), candle.openTime >= candles[w + 9300].openTime { signals.append(signal) }
        }
        #expect(!signals.isEmpty)
        for signal in signals {
            #expect(signal.source == "ml-ensemble@\(ensemble.version)")
            #expect(signal.featureHash?.count == 16)
            #expect((signal.confidence ?? 0) >= 0.5)
            #expect(signal.time.milliseconds % 300_000 == 0)
        }
        // the same candles through a fresh strategy give the same signals (deterministic)
        var again = try MLEnsembleStrategy(ensemble: ensemble, threshold: 0.5, periodStart: candles[w + 9300].openTime, periodEnd: candles.last!.openTime)
        var repeated: [Signal] = []
        for candle in candles[7000...] {
            if let signal = try again.onCandle(candle, symbol: Self.symbol), candle.openTime >= candles[w + 9300].openTime { repeated.append(signal) }
        }
        #expect(repeated == signals)
    }

    /// Five missing minutes: the strategy (`MLSignalSource`, as backtests, paper and live run it)
    /// restarts its features at the gap, is not asked again until its lookback is complete, warns
    /// once, and then gives exactly the signals of a strategy started at the gap. Before the gap
    /// nothing differs from the contiguous run.
    @Test func aGapRestartsTheFeaturesUntilRewarmed() throws {
        let (ensemble, candles) = try Self.trainedEnsemble("gap")
        let period = (candles[w + 9300].openTime, candles.last!.openTime)
        let gap = (w + 9400)..<(w + 9405)
        let gapped = Array(candles[7000..<gap.lowerBound] + candles[gap.upperBound...])
        func source() throws -> MLSignalSource {
            MLSignalSource(strategy: try MLEnsembleStrategy(ensemble: ensemble, threshold: 0.5, periodStart: period.0, periodEnd: period.1))
        }
        func run(_ source: MLSignalSource, _ input: [Candle]) -> [(Int, Int)] {  // (predictions so far, signals so far) per candle
            input.map { candle in
                _ = source.onBar(candle, symbol: Self.symbol, closeTime: candle.openTime.advanced(by: .seconds(60)))
                return (source.predictions, source.signals.count)
            }
        }
        let contiguous = try source()
        _ = run(contiguous, Array(candles[7000...]))
        let restarting = try source()
        let counts = run(restarting, gapped)
        let split = gap.lowerBound - 7000  // index in `gapped` of the first candle after the gap
        let gapTime = candles[gap.upperBound].openTime

        #expect(restarting.signals.filter { $0.time < gapTime } == contiguous.signals.filter { $0.time < gapTime })
        #expect(counts[split - 1].0 > 0)  // warm and predicting before the gap
        // Not asked until the warm-up is complete again: `hourBars` hourly bars, the first the minutes
        // left of the hour the gap ended in, the last candle a decision bar.
        let askedAgain = try #require(counts.indices.first { $0 >= split && counts[$0].0 > counts[split - 1].0 })
        let minuteOfHour = Int((candles[gap.upperBound].openTime.milliseconds / 60_000) % 60)
        let expected: Int = (FeatureEngine.warmUp.hourBars - 1) * 60 + (60 - minuteOfHour)
        #expect(askedAgain - split + 1 == expected)
        let warning = try #require(restarting.alerts.first)
        #expect(restarting.alerts.count == 1 && warning.kind == MLSignalSource.featuresRestartedAlert && warning.severity == .warning)
        #expect(warning.message.contains("5 1m candle(s)") && warning.time == gapTime.advanced(by: .seconds(60)))
        #expect(restarting.refusals == 0 && restarting.featureRestarts == 1)
        // After the gap: a fresh strategy fed from the first candle after it gives the same signals.
        let fresh = try source()
        _ = run(fresh, Array(candles[gap.upperBound...]))
        #expect(restarting.signals.filter { $0.time >= gapTime } == fresh.signals)
        #expect(restarting.predictions - counts[split - 1].0 == fresh.predictions && fresh.predictions > 0)
    }

    /// The drift check in a running strategy: with a walk-forward reference far from what the
    /// model does on this data, one `ml.coverage_drift` warning, not one per check.
    @Test func coverageDriftRaisesOneWarning() throws {
        let (ensemble, candles) = try Self.trainedEnsemble("drift")
        let source = MLSignalSource(strategy: try MLEnsembleStrategy(ensemble: ensemble, threshold: 0.5, periodStart: candles[w + 9300].openTime,
                                                                     periodEnd: candles.last!.openTime))
        source.coverageReference = Array(repeating: 0.001, count: DecisionRule.reportThresholds.count)
        for candle in candles[7000...] { _ = source.onBar(candle, symbol: Self.symbol, closeTime: candle.openTime.advanced(by: .seconds(60))) }
        source.checkCoverage(at: candles.last!.openTime)
        #expect(source.predictions > 200)
        let drift = source.alerts.filter { $0.kind == MLSignalSource.coverageDriftAlert }
        #expect(drift.count == 1 && drift.first?.severity == .warning)
        #expect(source.coverageDrift()?.first?.drifted == true)
        // The same run against its own coverage: no drift.
        let own = source.coverageDrift()!.map(\.observed)
        let again = MLSignalSource(strategy: try MLEnsembleStrategy(ensemble: ensemble, threshold: 0.5, periodStart: candles[w + 9300].openTime,
                                                                    periodEnd: candles.last!.openTime))
        again.coverageReference = own
        for candle in candles[7000...] { _ = again.onBar(candle, symbol: Self.symbol, closeTime: candle.openTime.advanced(by: .seconds(60))) }
        #expect(!again.alerts.contains { $0.kind == MLSignalSource.coverageDriftAlert })
    }

    /// A threshold no calibrated probability reaches yields no signal at all: no fallback.
    @Test func noSignalWhenModelsAreNotConfident() throws {
        let (ensemble, candles) = try Self.trainedEnsemble("abstain")
        var strategy = try MLEnsembleStrategy(ensemble: ensemble, threshold: 0.999, periodStart: candles[w + 9300].openTime,
                                              periodEnd: candles.last!.openTime)
        var count = 0
        for candle in candles[7000...] where try strategy.onCandle(candle, symbol: Self.symbol) != nil { count += 1 }
        #expect(count == 0)
    }

    @Test func tamperedModelDirectoryIsRefused() throws {
        _ = try Self.trainedEnsemble("tamper")
        let directory = NSTemporaryDirectory() + "signals-tests-\(getpid())-ensemble-tamper"
        let path = directory + "/lightgbm.calibration.json"
        var text = try String(contentsOfFile: path, encoding: .utf8)
        text += " "
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: SignalsError.self) { _ = try SignalEnsemble.load(directory: directory) }
        #expect(throws: SignalsError.self) { _ = try SignalEnsemble.load(directory: directory + "-missing") }
    }
}
