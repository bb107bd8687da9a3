import Foundation
@testable import Signals
import Testing
import TradingModel
import TradingTestSupport

enum DeepTestPlugin {
    static let plugin: DeepPlugin? = try? DeepPlugin.shared.get()
}

/// N-HiTS and TFT through the libtorch plugin, on small synthetic series (a few seconds each).
/// Enabled when the plugin is present (`make bootstrap` builds it; `make test` always does).
@Suite(.serialized, .enabled(if: DeepTestPlugin.plugin != nil, "libqtdeep.so not built (run make bootstrap)"), .ownThread)
struct DeepModelTests {
    static var plugin: DeepPlugin? { DeepTestPlugin.plugin }
    static let featureSet = FeatureSet(name: "synthetic", version: 1, names: ["return", "noise"], optionalNames: [])
    static let labelSettings = TripleBarrierSettings(horizonBars: 15)
    static let settings = DeepSettings(windowSteps: 16, hidden: 16, heads: 2, maxEpochs: 25, patience: 4, batchSize: 64, seed: 11)

    /// One symbol, a decision every 15 minutes; the return of each step is
    /// `amplitude·sin(2πk/8) + noise`. Features at step k: that step's return and pure noise.
    /// The label is the next step's return against the barriers (LONG ≥ tp, SHORT ≤ −tp), so a
    /// model that reads the phase from the window can forecast it; with amplitude 0 it is a
    /// random walk and nothing can.
    static func series(count: Int, amplitude: Double, seed: UInt64) -> [LabeledSample] {
        var random = SeededRandom(seed: seed)
        let tp = labelSettings.takeProfitPriceMove
        let returns = (0...count).map { k in amplitude * tp * sin(2 * Double.pi * Double(k) / 8) + 0.4 * tp * random.nextGaussian() }
        let costs = labelSettings.roundTripFeeRate + 2 * labelSettings.slippagePerFill
        return (0..<count).map { k in
            let time = Timestamp(milliseconds: 1_767_225_600_000 + Int64(k) * 900_000)
            let next = returns[k + 1]
            let label: SignalClass = next >= tp ? .long : next <= -tp ? .short : .none
            return LabeledSample(symbol: "SYNUSDT", time: time, endTime: Timestamp(milliseconds: time.milliseconds + 900_000),
                                 features: [returns[k] / tp, random.nextGaussian()], label: label,
                                 longReturn: (label == .long ? tp : label == .short ? -labelSettings.stopPriceMove : next) - costs,
                                 shortReturn: -next - costs, previousReturn: returns[k])
        }
    }

    static func matrix(_ samples: [LabeledSample], rows: [Int], targets: Bool) throws -> FeatureMatrix {
        var matrix = try FeatureMatrix(featureSet: featureSet, rows: rows.map { samples[$0].features })
        matrix.sequences = SequenceIndex(samples: samples).windows(
            rows: rows, steps: settings.windowSteps, decisionIntervalMinutes: 15,
            futureSteps: SequenceWindows.futureSteps(labelSettings: labelSettings, decisionIntervalMinutes: 15),
            targetsFor: targets ? labelSettings : nil)
        return matrix
    }

    static func metadata(kind: String, samples: Int) -> ModelMetadata {
        var metadata = ModelMetadata(kind: kind, libraryVersion: plugin?.libraryVersion ?? "", featureSet: featureSet,
                                     trainingStart: Timestamp(milliseconds: 0), trainingEnd: Timestamp(milliseconds: 1),
                                     labelSettings: labelSettings, decisionIntervalMinutes: 15, dataHash: "synthetic",
                                     trainingSamples: samples, boosting: BoostingSettings(), symbols: ["SYNUSDT"], marketContext: nil)
        metadata.deep = settings
        return metadata
    }

    static func train<Model: DeepSignalModel>(_ type: Model.Type, samples: [LabeledSample], rows: [Int]) throws -> Model {
        try Model.train(features: matrix(samples, rows: rows, targets: true), metadata: metadata(kind: Model.kind, samples: rows.count),
                        plugin: #require(plugin), progress: nil)
    }

    /// Accuracy of the most likely of LONG/SHORT against the label on the rows with a barrier
    /// label, and the share of such rows of the majority side.
    static func directionalAccuracy<Model: DeepSignalModel>(_ model: Model, samples: [LabeledSample], rows: [Int]) throws -> (Double, Double) {
        let probabilities = try model.predictProbabilities(matrix(samples, rows: rows, targets: false))
        let decided = rows.indices.filter { samples[rows[$0]].label != .none }
        let hits = decided.filter { index in
            (probabilities[index].long >= probabilities[index].short) == (samples[rows[index]].label == .long)
        }.count
        let longs = decided.filter { samples[rows[$0]].label == .long }.count
        let majority = Double(max(longs, decided.count - longs)) / Double(max(1, decided.count))
        return (Double(hits) / Double(max(1, decided.count)), majority)
    }

    @Test(arguments: ["nhits", "tft"])
    func plantedPeriodicPatternIsLearnt(kind: String) throws {
        let samples = Self.series(count: 1400, amplitude: 1.5, seed: 5)
        let training = Array(0..<1000), test = Array(1020..<1400)
        let (accuracy, majority) = kind == "nhits"
            ? try Self.directionalAccuracy(Self.train(NHiTSModel.self, samples: samples, rows: training), samples: samples, rows: test)
            : try Self.directionalAccuracy(Self.train(TFTModel.self, samples: samples, rows: training), samples: samples, rows: test)
        #expect(accuracy > 0.8, "\(kind): directional accuracy \(accuracy), majority side \(majority)")
        #expect(accuracy > majority + 0.2)
    }

    @Test(arguments: ["nhits", "tft"])
    func randomWalkShowsNoEdge(kind: String) throws {
        let samples = Self.series(count: 1400, amplitude: 0, seed: 9)
        let training = Array(0..<1000), test = Array(1020..<1399)
        let model: any DeepSignalModel = kind == "nhits"
            ? try Self.train(NHiTSModel.self, samples: samples, rows: training)
            : try Self.train(TFTModel.self, samples: samples, rows: training)
        // Barrier labels are rare in this walk (|z| ≥ 2.5), so judge the sign of the median
        // forecast against the sign of the next step's return on every test row.
        let quantiles = try model.predictQuantiles(Self.matrix(samples, rows: test, targets: false))
        let median = Self.settings.quantiles.firstIndex(of: 0.5)!
        let agree = test.indices.filter { (quantiles[$0][median] >= 0) == (samples[test[$0] + 1].previousReturn >= 0) }.count
        let rate = Double(agree) / Double(test.count)
        // 379 rows: a coin's standard error is 0.026; 3 standard errors.
        #expect(abs(rate - 0.5) < 0.08, "\(kind): median sign agrees with the next return on \(rate) of rows")
    }

    @Test(arguments: ["nhits", "tft"])
    func saveLoadRoundTripGivesIdenticalPredictionsAndIsDeterministic(kind: String) throws {
        let samples = Self.series(count: 400, amplitude: 1.5, seed: 3)
        let rows = Array(0..<300), test = Array(300..<400)
        let model: any DeepSignalModel = kind == "nhits"
            ? try Self.train(NHiTSModel.self, samples: samples, rows: rows) : try Self.train(TFTModel.self, samples: samples, rows: rows)
        let again: any DeepSignalModel = kind == "nhits"
            ? try Self.train(NHiTSModel.self, samples: samples, rows: rows) : try Self.train(TFTModel.self, samples: samples, rows: rows)
        let matrix = try Self.matrix(samples, rows: test, targets: false)
        let directory = SyntheticMarket.temporaryDirectory("deep-roundtrip-\(kind)")
        try model.save(directory: directory)
        let loaded: any DeepSignalModel = kind == "nhits"
            ? try NHiTSModel.load(directory: directory, expecting: Self.featureSet)
            : try TFTModel.load(directory: directory, expecting: Self.featureSet)
        let before = try model.predictQuantiles(matrix)
        #expect(try loaded.predictQuantiles(matrix) == before)
        #expect(try loaded.predictProbabilities(matrix) == model.predictProbabilities(matrix))
        #expect(try again.predictQuantiles(matrix) == before, "same seed, one thread: bit-identical")
        #expect(loaded.metadata == model.metadata)
        #expect(loaded.metadata.deep == Self.settings)
        #expect((loaded.metadata.deepTraining?.epochs ?? 0) >= 1)
        #expect(loaded.metadata.libraryVersion.hasPrefix("libtorch 1."))
    }

    @Test func mismatchedModelsAreRefused() throws {
        let samples = Self.series(count: 300, amplitude: 1.5, seed: 4)
        let model = try Self.train(NHiTSModel.self, samples: samples, rows: Array(0..<300))
        let directory = SyntheticMarket.temporaryDirectory("deep-mismatch")
        try model.save(directory: directory)
        func rewrite(_ change: (inout ModelMetadata) -> Void) throws {
            var metadata = model.metadata
            change(&metadata)
            try metadata.write(directory: directory)
        }
        // Another architecture width than the weights file: refused by the shape check.
        try rewrite { $0.deep?.hidden = 24 }
        #expect(throws: SignalsError.self) { try NHiTSModel.load(directory: directory, expecting: Self.featureSet) }
        // Trained with another libtorch.
        try rewrite { $0.libraryVersion = "libtorch 2.3.0" }
        #expect { try NHiTSModel.load(directory: directory, expecting: Self.featureSet) } throws: { "\($0)".contains("libtorch 2.3.0") }
        // Other features.
        try rewrite { _ in }
        let other = FeatureSet(name: "synthetic", version: 2, names: ["return", "noise"], optionalNames: [])
        #expect(throws: SignalsError.self) { try NHiTSModel.load(directory: directory, expecting: other) }
        // A TFT weights file is not an N-HiTS.
        let tft = try Self.train(TFTModel.self, samples: samples, rows: Array(0..<300))
        try tft.save(directory: directory)
        try FileManager.default.removeItem(atPath: NHiTSModel.modelPath(directory: directory))
        try FileManager.default.copyItem(atPath: TFTModel.modelPath(directory: directory), toPath: NHiTSModel.modelPath(directory: directory))
        #expect(throws: SignalsError.self) { try NHiTSModel.load(directory: directory, expecting: Self.featureSet) }
        // Single feature vectors (no window) are refused, never predicted from a partial input.
        let vector = FeatureVector(featureSetName: "synthetic", featureSetVersion: 1, time: samples[0].time, values: [0, 0])
        #expect { try model.predictProbabilities(vector) } throws: { "\($0)".contains("past window") }
    }

    @Test func aDeepMemberWithoutThePluginRefusesTheWholeModel() throws {
        let samples = Self.series(count: 300, amplitude: 1.5, seed: 4)
        let model = try Self.train(NHiTSModel.self, samples: samples, rows: Array(0..<300))
        let identity = ProbabilityCalibration(curves: Array(repeating: IsotonicCurve(scores: [0, 1], probabilities: [0, 1]), count: 3),
                                              fittedSamples: 0)
        let manifest = EnsembleManifest(formatVersion: 1, version: "", featureSet: Self.featureSet, members: [],
                                        trainingStart: samples[0].time, trainingEnd: samples[299].time, decisionIntervalMinutes: 15,
                                        marketContext: nil, labelSettings: Self.labelSettings, dataHash: "synthetic")
        let directory = SyntheticMarket.temporaryDirectory("deep-ensemble")
        _ = try SignalEnsemble.save(members: [CalibratedModel(model: model, calibration: identity)], manifest: manifest, directory: directory)
        let loaded = try SignalEnsemble.load(directory: directory)
        #expect(loaded.manifest.members == ["nhits"])
        let missing = SignalsError.library(name: "libtorch plugin", call: "dlopen", message: "libqtdeep.so not found")
        #expect {
            try SignalEnsemble.load(directory: directory, deepPlugin: .failure(missing))
        } throws: { error in
            "\(error)".contains("member nhits cannot be loaded, so the model is refused") && "\(error)".contains("libqtdeep.so not found")
        }
        // Live single vectors cannot feed the window: the ensemble refuses rather than skip the member.
        let vector = FeatureVector(featureSetName: "synthetic", featureSetVersion: 1, time: samples[0].time, values: [0, 0])
        #expect(throws: SignalsError.self) { try loaded.predictProbabilities(vector) }
    }
}
