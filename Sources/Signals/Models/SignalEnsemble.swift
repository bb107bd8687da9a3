import Foundation
import TradingModel

/// The ensemble: average of the members' calibrated probabilities. Every member must predict;
/// if one fails, the ensemble fails (no signal) rather than carry on with fewer models.
public final class SignalEnsemble {
    public let members: [CalibratedModel]
    public let manifest: EnsembleManifest

    public init(members: [CalibratedModel], manifest: EnsembleManifest) throws(SignalsError) {
        guard !members.isEmpty else { throw .modelFile(path: "-", message: "an ensemble needs at least one model") }
        if let weights = manifest.weights {
            guard weights.count == members.count, weights.allSatisfy({ $0.isFinite && $0 >= 0 }), weights.reduce(0, +) > 0 else {
                throw .modelFile(path: EnsembleManifest.fileName, message: "weights \(weights) do not fit \(members.count) members")
            }
        }
        for member in members {
            if let mismatch = manifest.featureSet.mismatch(with: member.model.metadata.featureSet) { throw .featureMismatch(mismatch) }
        }
        let windowSteps = Set(members.compactMap { $0.model.metadata.deep?.windowSteps })
        guard windowSteps.count <= 1 else {
            throw .modelFile(path: EnsembleManifest.fileName, message: "deep members disagree on the window length \(windowSteps.sorted())")
        }
        self.members = members
        self.manifest = manifest
    }

    public var featureSet: FeatureSet { manifest.featureSet }
    public var version: String { manifest.version }

    /// The members' weights (manifest order; equal when the manifest has none).
    public var weights: [Double] {
        if let weights = manifest.weights, weights.count == members.count { return weights }
        return Array(repeating: 1 / Double(members.count), count: members.count)
    }

    /// Weighted average of the calibrated probabilities per row.
    public func predictProbabilities(_ features: FeatureMatrix) throws -> [ClassProbabilities] {
        var sums = Array(repeating: [0.0, 0.0, 0.0], count: features.rowCount)
        for (member, weight) in zip(members, weights) {
            let calibrated = try member.predictProbabilities(features).calibrated
            for (row, probability) in calibrated.enumerated() {
                sums[row][0] += weight * probability.none
                sums[row][1] += weight * probability.long
                sums[row][2] += weight * probability.short
            }
        }
        return sums.map { ClassProbabilities($0).normalized() }
    }

    /// Probabilities for one live feature vector (refused when it does not match the features,
    /// and when a deep member needs the past window: use `predictProbabilities(_:symbol:history:)`).
    public func predictProbabilities(_ vector: FeatureVector) throws -> ClassProbabilities {
        try predictProbabilities(FeatureMatrix(featureSet: featureSet, vector: vector))[0]
    }

    /// A `DecisionHistory` for the deep members' past windows, nil when no member needs one.
    public func makeHistory() -> DecisionHistory? {
        guard let settings = members.lazy.compactMap({ $0.model.metadata.deep }).first else { return nil }
        return DecisionHistory(steps: settings.windowSteps, decisionIntervalMinutes: manifest.decisionIntervalMinutes,
                               futureSteps: SequenceWindows.futureSteps(labelSettings: manifest.labelSettings,
                                                                        decisionIntervalMinutes: manifest.decisionIntervalMinutes))
    }

    /// Probabilities for one live decision-bar vector, with the symbol's past window from
    /// `history` (which must already hold `vector`) when a member needs it.
    public func predictProbabilities(_ vector: FeatureVector, symbol: Symbol, history: DecisionHistory?) throws -> ClassProbabilities {
        var matrix = try FeatureMatrix(featureSet: featureSet, vector: vector)
        if let history { matrix.sequences = history.windows(for: vector, symbol: symbol) }
        return try predictProbabilities(matrix)[0]
    }

    /// Writes every member, its calibration and the manifest (with the computed version).
    public static func save(members: [CalibratedModel], manifest: EnsembleManifest, directory: String) throws -> SignalEnsemble {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        for member in members {
            let kind = type(of: member.model).kind
            try member.model.save(directory: directory)
            try encoder.encode(member.calibration).write(to: URL(fileURLWithPath: CalibratedModel.calibrationPath(directory: directory, kind: kind)))
        }
        var written = manifest
        written.members = members.map { type(of: $0.model).kind }
        written.version = try contentVersion(directory: directory, kinds: written.members)
        try encoder.encode(written).write(to: URL(fileURLWithPath: "\(directory)/\(EnsembleManifest.fileName)"))
        return try SignalEnsemble(members: members, manifest: written)
    }

    /// Loads a model directory, checking the feature set and that the files match the manifest version.
    /// A deep member (nhits, tft) needs `deepPlugin`: when it is unavailable the whole model is
    /// refused with the plugin's error (never loaded without that member).
    public static func load(directory: String, expecting featureSet: FeatureSet? = nil,
                            deepPlugin: @autoclosure () -> Result<DeepPlugin, SignalsError> = DeepPlugin.shared) throws -> SignalEnsemble {
        let manifestPath = "\(directory)/\(EnsembleManifest.fileName)"
        guard let data = FileManager.default.contents(atPath: manifestPath) else {
            throw SignalsError.modelFile(path: manifestPath, message: "not found; run `qt train` first")
        }
        let manifest: EnsembleManifest
        do { manifest = try JSONDecoder().decode(EnsembleManifest.self, from: data) } catch {
            throw SignalsError.modelFile(path: manifestPath, message: "unreadable: \(error)")
        }
        if let featureSet, let mismatch = featureSet.mismatch(with: manifest.featureSet) {
            throw SignalsError.modelFile(path: manifestPath, message: "model was trained on other features: \(mismatch)")
        }
        let actual = try contentVersion(directory: directory, kinds: manifest.members)
        guard actual == manifest.version else {
            throw SignalsError.modelFile(path: manifestPath, message: "files changed since training (version \(actual), manifest says \(manifest.version))")
        }
        let members = try manifest.members.map { kind -> CalibratedModel in
            let model: any SignalModel
            switch kind {
            case XGBoostModel.kind: model = try XGBoostModel.load(directory: directory, expecting: manifest.featureSet)
            case LightGBMModel.kind: model = try LightGBMModel.load(directory: directory, expecting: manifest.featureSet)
            case NHiTSModel.kind, TFTModel.kind:
                let plugin: DeepPlugin
                do { plugin = try deepPlugin().get() } catch {
                    throw SignalsError.modelFile(path: manifestPath, message: "member \(kind) cannot be loaded, so the model is refused: \(error)")
                }
                model = kind == NHiTSModel.kind
                    ? try NHiTSModel.load(directory: directory, expecting: manifest.featureSet, plugin: plugin)
                    : try TFTModel.load(directory: directory, expecting: manifest.featureSet, plugin: plugin)
            default: throw SignalsError.modelFile(path: manifestPath, message: "unknown model kind \(kind)")
            }
            let path = CalibratedModel.calibrationPath(directory: directory, kind: kind)
            guard let calibrationData = FileManager.default.contents(atPath: path) else {
                throw SignalsError.modelFile(path: path, message: "calibration not found")
            }
            let calibration: ProbabilityCalibration
            do { calibration = try JSONDecoder().decode(ProbabilityCalibration.self, from: calibrationData) } catch {
                throw SignalsError.modelFile(path: path, message: "unreadable: \(error)")
            }
            guard calibration.curves.count == 3 else {
                throw SignalsError.modelFile(path: path, message: "has \(calibration.curves.count) curves, expected 3 (NONE, LONG, SHORT)")
            }
            return CalibratedModel(model: model, calibration: calibration)
        }
        return try SignalEnsemble(members: members, manifest: manifest)
    }

    static func contentVersion(directory: String, kinds: [String]) throws -> String {
        var hasher = ContentDigest()
        for kind in kinds {
            let modelPath = switch kind {
            case XGBoostModel.kind: XGBoostModel.modelPath(directory: directory)
            case NHiTSModel.kind: NHiTSModel.modelPath(directory: directory)
            case TFTModel.kind: TFTModel.modelPath(directory: directory)
            default: LightGBMModel.modelPath(directory: directory)
            }
            for path in [modelPath, ModelMetadata.sidecarPath(directory: directory, kind: kind), CalibratedModel.calibrationPath(directory: directory, kind: kind)] {
                guard let data = FileManager.default.contents(atPath: path) else {
                    throw SignalsError.modelFile(path: path, message: "missing")
                }
                hasher.update(data)
            }
        }
        return String(hasher.finalize().prefix(12))
    }
}

@available(*, unavailable, message: "holds models wrapping C handles")
extension SignalEnsemble: Sendable {}
