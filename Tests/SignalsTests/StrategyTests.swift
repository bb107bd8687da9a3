import Foundation
import Signals
import Testing
import TradingModel

@Suite(.serialized) struct StrategyTests {
    static let symbol: Symbol = "TESTUSDT"

    /// Trains a small ensemble on the first 9000 minutes of a planted-edge market and returns it
    /// with the later candles (out of sample).
    static func trainedEnsemble(_ name: String) throws -> (SignalEnsemble, [Candle]) {
        let candles = SyntheticMarket.candles(seed: 41, count: 13_000, regimeDrift: 0.00012, regimeMinutes: 600)
        let training = Array(candles.prefix(9000))
        let data = try SignalDataset.build(candles: [symbol: training], featureSet: .standard(marketContext: false),
                                           labelSettings: SyntheticMarket.testLabels, decisionIntervalMinutes: 5, contextSource: nil)
        let directory = SyntheticMarket.temporaryDirectory("ensemble-\(name)")
        _ = try EnsembleTrainer.trainFinal(dataset: data, plan: SyntheticMarket.plan(), symbols: [symbol], directory: directory)
        return (try SignalEnsemble.load(directory: directory), candles)
    }

    @Test func refusesAPeriodOverlappingTraining() throws {
        let (ensemble, candles) = try Self.trainedEnsemble("overlap")
        #expect(throws: MLStrategyError.self) {
            _ = try MLEnsembleStrategy(ensemble: ensemble, threshold: 0.6, periodStart: candles[8000].openTime, periodEnd: candles[12_000].openTime)
        }
        #expect(throws: Never.self) {
            _ = try MLEnsembleStrategy(ensemble: ensemble, threshold: 0.6, periodStart: candles[8000].openTime,
                                       periodEnd: candles[12_000].openTime, force: true)
        }
        #expect(throws: MLStrategyError.self) {
            _ = try MLEnsembleStrategy(ensemble: ensemble, threshold: 0.4, periodStart: candles[9500].openTime, periodEnd: candles[12_000].openTime)
        }
    }

    /// Out of sample, signals come only from the models: each has the model version, a feature
    /// hash, a confidence at or above the threshold, and appears only on decision bars.
    @Test func signalsCarryModelVersionAndFeatureHash() throws {
        let (ensemble, candles) = try Self.trainedEnsemble("signals")
        var strategy = try MLEnsembleStrategy(ensemble: ensemble, threshold: 0.5, periodStart: candles[9300].openTime,
                                              periodEnd: candles.last!.openTime)
        var signals: [Signal] = []
        // warm the features on the candles before the period (the engine needs ~35 h of history)
        for candle in candles[7000...] {
            if let signal = try strategy.onCandle(candle, symbol: Self.symbol), candle.openTime >= candles[9300].openTime { signals.append(signal) }
        }
        #expect(!signals.isEmpty)
        for signal in signals {
            #expect(signal.source == "ml-ensemble@\(ensemble.version)")
            #expect(signal.featureHash?.count == 16)
            #expect((signal.confidence ?? 0) >= 0.5)
            #expect(signal.time.milliseconds % 300_000 == 0)
        }
        // the same candles through a fresh strategy give the same signals (deterministic)
        var again = try MLEnsembleStrategy(ensemble: ensemble, threshold: 0.5, periodStart: candles[9300].openTime, periodEnd: candles.last!.openTime)
        var repeated: [Signal] = []
        for candle in candles[7000...] {
            if let signal = try again.onCandle(candle, symbol: Self.symbol), candle.openTime >= candles[9300].openTime { repeated.append(signal) }
        }
        #expect(repeated == signals)
    }

    /// A threshold no calibrated probability reaches yields no signal at all: no fallback.
    @Test func noSignalWhenModelsAreNotConfident() throws {
        let (ensemble, candles) = try Self.trainedEnsemble("abstain")
        var strategy = try MLEnsembleStrategy(ensemble: ensemble, threshold: 0.999, periodStart: candles[9300].openTime,
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
