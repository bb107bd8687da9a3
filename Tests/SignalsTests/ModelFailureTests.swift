import Foundation
@testable import Signals
import Testing
import TradingEngine
import TradingModel
import TradingTestSupport

/// A model whose output is not a probability triple (NaN) is an error raised as
/// `ml.model_error`, never a silent uniform triple that abstains.
@Suite(.ownThread) struct ModelFailureTests {
    /// A stand-in model that answers NaN for every row.
    final class NaNModel: SignalModel {
        static let kind = "xgboost"
        static let libraryVersion = "test"
        let metadata: ModelMetadata
        init(metadata: ModelMetadata) { self.metadata = metadata }
        static func train(features: FeatureMatrix, labels: [SignalClass], settings: BoostingSettings, metadata: ModelMetadata) throws -> NaNModel {
            NaNModel(metadata: metadata)
        }
        func predictProbabilities(_ features: FeatureMatrix) throws -> [ClassProbabilities] {
            Array(repeating: ClassProbabilities(none: .nan, long: .nan, short: .nan), count: features.rowCount)
        }
        func gainImportance() throws -> [Double] { [] }
        func meanAbsoluteContributions(_ features: FeatureMatrix) throws -> [Double] { [] }
        func save(directory: String) throws {}
        static func load(directory: String, expecting featureSet: FeatureSet) throws -> NaNModel { throw SignalsError.modelFile(path: directory, message: "test") }
    }

    @Test func aNaNOutputRaisesAModelErrorAlert() throws {
        let featureSet = FeatureSet.standard(marketContext: false)
        let metadata = ModelTests.metadata(kind: "xgboost")
        let identity = ProbabilityCalibration(curves: Array(repeating: IsotonicCurve(scores: [0, 1], probabilities: [0, 1]), count: 3), fittedSamples: 0)
        let manifest = EnsembleManifest(formatVersion: 1, version: "nan", featureSet: featureSet, members: ["xgboost"],
                                        trainingStart: Timestamp(milliseconds: 0), trainingEnd: Timestamp(milliseconds: 60_000),
                                        decisionIntervalMinutes: 5, marketContext: nil, labelSettings: SyntheticMarket.testLabels, dataHash: "test")
        let ensemble = try SignalEnsemble(members: [CalibratedModel(model: NaNModel(metadata: metadata), calibration: identity)], manifest: manifest)
        let candles = SyntheticMarket.candles(seed: 3, count: SyntheticMarket.warmUpMinutes + 30)
        let source = MLSignalSource(strategy: try MLEnsembleStrategy(ensemble: ensemble, threshold: 0.5, periodStart: candles[0].openTime,
                                                                     periodEnd: candles.last!.openTime))
        for candle in candles { #expect(source.onBar(candle, symbol: "TESTUSDT", closeTime: candle.openTime.advanced(by: .seconds(60))) == nil) }
        let alert = try #require(source.alerts.first)
        #expect(alert.kind == MLSignalSource.modelErrorAlert && alert.severity == .critical)
        #expect(alert.message.contains("not a probability triple"))
        #expect(source.predictions == 0 && source.refusals == source.alerts.count && source.refusals >= 5)
        // and the same in a batch prediction
        let row = Array(repeating: 0.0, count: featureSet.count)
        #expect(throws: SignalsError.self) { _ = try ensemble.predictProbabilities(FeatureMatrix(featureSet: featureSet, rows: [row])) }
    }

    /// The check both training (raw outputs before calibration) and prediction run: NaN,
    /// a value outside [0, 1] or a sum off by more than 1e-3 is an error naming the row.
    @Test func outputsThatAreNotProbabilityTriplesAreRefused() throws {
        let good = ClassProbabilities(none: 0.2, long: 0.5, short: 0.3)
        try ProbabilityCalibration.requireValid([good, ClassProbabilities(none: 0.2, long: 0.5, short: 0.3009)], model: "xgboost")
        let bad = [ClassProbabilities(none: .nan, long: 0.5, short: 0.5), ClassProbabilities(none: -0.1, long: 0.6, short: 0.5),
                   ClassProbabilities(none: 0.2, long: 0.5, short: 0.32), ClassProbabilities(none: 0, long: .infinity, short: 0)]
        for probability in bad {
            #expect(throws: SignalsError.self) { try ProbabilityCalibration.requireValid([good, probability], model: "lightgbm") }
            do {
                try ProbabilityCalibration.requireValid([good, probability], model: "lightgbm")
            } catch {
                #expect("\(error)".contains("row 1") && "\(error)".contains("not a probability triple"))
            }
        }
    }

    /// Gain importance and SHAP from both libraries' C APIs find the planted column.
    @Test(arguments: ["xgboost", "lightgbm"]) func importanceFindsThePlantedFeature(kind: String) throws {
        let (features, labels) = ModelTests.toyData(rows: 400, seed: 21)
        let matrix = try FeatureMatrix(featureSet: ModelTests.featureSet, rows: features)
        let model: any SignalModel = kind == "xgboost"
            ? try XGBoostModel.train(features: matrix, labels: labels, settings: BoostingSettings(rounds: 20), metadata: ModelTests.metadata(kind: kind))
            : try LightGBMModel.train(features: matrix, labels: labels, settings: BoostingSettings(rounds: 20), metadata: ModelTests.metadata(kind: kind))
        let importance = FeatureImportance(model: kind, gain: try model.gainImportance(), meanAbsoluteShap: try model.meanAbsoluteContributions(matrix))
        #expect(importance.gainShare.count == ModelTests.featureSet.count && importance.shapShare.count == ModelTests.featureSet.count)
        #expect(importance.gainShare.indices.max { importance.gainShare[$0] < importance.gainShare[$1] } == 0)
        #expect(importance.shapShare.indices.max { importance.shapShare[$0] < importance.shapShare[$1] } == 0)
        #expect(importance.gainShare[0] > 0.3 && importance.shapShare[0] > 0.3)
        let names = ModelTests.featureSet.names
        #expect(FeatureImportance.top(importance.gainShare, names: names).first?.name == names[0])
    }

    /// Day of week among the top features on a short history is flagged, on a long one not.
    @Test func calendarFeatureOnAShortHistoryIsFlagged() {
        let names = ["a", "time.day_of_week_sin", "b", "c", "d", "e", "f"]
        let importance = FeatureImportance(model: "xgboost", gain: [1, 5, 1, 1, 1, 1, 0], meanAbsoluteShap: [1, 1, 1, 1, 1, 1, 1])
        #expect(importance.calendarWarnings(names: names, trainingDays: 60).count == 1)
        #expect(importance.calendarWarnings(names: names, trainingDays: 400).isEmpty)
    }
}
