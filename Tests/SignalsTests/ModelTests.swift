import Foundation
import Signals
import Testing
import TradingModel
import TradingTestSupport

@Suite(.ownThread) struct ModelTests {
    static let featureSet = FeatureSet.standard(marketContext: false)

    /// Random rows whose label depends on the first column, so the models learn something.
    static func toyData(rows: Int, seed: UInt64) -> ([[Double]], [SignalClass]) {
        var random = SeededRandom(seed: seed)
        var features: [[Double]] = [], labels: [SignalClass] = []
        for _ in 0..<rows {
            var row = (0..<featureSet.count).map { _ in random.nextGaussian() }
            row[featureSet.names.firstIndex(of: "funding.rate")!] = random.nextUnit() < 0.3 ? .nan : 0.0001
            features.append(row)
            labels.append(row[0] > 0.5 ? .long : row[0] < -0.5 ? .short : .none)
        }
        return (features, labels)
    }

    static func metadata(kind: String) -> ModelMetadata {
        ModelMetadata(kind: kind, libraryVersion: kind == "xgboost" ? XGBoostModel.libraryVersion : LightGBMModel.libraryVersion,
                      featureSet: featureSet, trainingStart: Timestamp(milliseconds: 0), trainingEnd: Timestamp(milliseconds: 60_000),
                      labelSettings: TripleBarrierSettings(), decisionIntervalMinutes: 15, dataHash: "test", trainingSamples: 400,
                      boosting: BoostingSettings(rounds: 20), symbols: ["TESTUSDT"], marketContext: nil)
    }

    func roundTrip<Model: SignalModel>(_ type: Model.Type) throws {
        let (features, labels) = Self.toyData(rows: 400, seed: 21)
        let matrix = try FeatureMatrix(featureSet: Self.featureSet, rows: features)
        let model = try Model.train(features: matrix, labels: labels, settings: BoostingSettings(rounds: 20), metadata: Self.metadata(kind: Model.kind))
        let directory = SyntheticMarket.temporaryDirectory("roundtrip-\(Model.kind)")
        try model.save(directory: directory)
        let loaded = try Model.load(directory: directory, expecting: Self.featureSet)
        let before = try model.predictProbabilities(matrix)
        let after = try loaded.predictProbabilities(matrix)
        #expect(before == after)
        #expect(loaded.metadata == model.metadata)
        #expect(loaded.metadata.threads == 1)
        // it learned the planted rule: most rows with a clearly positive first column say LONG
        let longRows = features.indices.filter { features[$0][0] > 1 }
        #expect(longRows.filter { before[$0].mostLikely == .long }.count > longRows.count * 8 / 10)
        // a model trained on other features refuses to load
        let other = FeatureSet.standard(marketContext: true)
        #expect(throws: SignalsError.self) { _ = try Model.load(directory: directory, expecting: other) }
        // a matrix for another feature set is refused
        let otherRow = Array(repeating: 0.0, count: other.count)
        let otherMatrix = try FeatureMatrix(featureSet: other, rows: [otherRow])
        #expect(throws: SignalsError.self) { _ = try model.predictProbabilities(otherMatrix) }
    }

    @Test func xgboostSaveLoadRoundTrip() throws { try roundTrip(XGBoostModel.self) }
    @Test func lightGBMSaveLoadRoundTrip() throws { try roundTrip(LightGBMModel.self) }

    @Test func missingRequiredFeatureIsRefused() {
        var row = Array(repeating: 0.0, count: Self.featureSet.count)
        row[0] = .nan
        #expect(throws: SignalsError.self) { _ = try FeatureMatrix(featureSet: Self.featureSet, rows: [row]) }
        #expect(throws: SignalsError.self) { _ = try FeatureMatrix(featureSet: Self.featureSet, rows: [Array(row.dropLast())]) }
        row[0] = 0
        row[Self.featureSet.names.firstIndex(of: "funding.rate")!] = .nan  // optional: allowed
        #expect(throws: Never.self) { _ = try FeatureMatrix(featureSet: Self.featureSet, rows: [row]) }
    }

    @Test func lightGBMVersionMatchesInstalledLibrary() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let installed = try String(contentsOf: root.appendingPathComponent("vendor/lightgbm/VERSION"), encoding: .utf8)
        #expect(installed.trimmingCharacters(in: .whitespacesAndNewlines) == LightGBMModel.libraryVersion)
        #expect(XGBoostModel.libraryVersion.hasPrefix("1.") || XGBoostModel.libraryVersion.hasPrefix("2.") || XGBoostModel.libraryVersion.hasPrefix("3."))
    }

    @Test func sha256KnownAnswer() {
        #expect(ContentDigest.hex(of: Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(ContentDigest.hex(of: [UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }
}
