import Foundation
import TradingModel

/// The JSON sidecar written next to every model file (`<kind>.meta.json`).
public struct ModelMetadata: Sendable, Hashable, Codable {
    public static let currentFormatVersion = 1

    public var formatVersion: Int
    /// `xgboost` or `lightgbm`.
    public var kind: String
    public var libraryVersion: String
    public var featureSet: FeatureSet
    /// Open time of the first and last candle the model (including its calibration) saw.
    public var trainingStart: Timestamp
    public var trainingEnd: Timestamp
    public var labelSettings: TripleBarrierSettings
    public var decisionIntervalMinutes: Int
    /// SHA-256 of the training candles (`SignalDataset.dataHash`).
    public var dataHash: String
    public var trainingSamples: Int
    public var boosting: BoostingSettings
    public var threads: Int
    public var symbols: [String]
    /// Market context behind the `context.*` features, when the feature set has them.
    public var marketContext: MarketContextSource?
    /// Deep models (nhits, tft): architecture hyper-parameters (window, widths, quantiles, seed).
    public var deep: DeepSettings?
    /// Deep models: epochs run, best epoch, rows fitted and validated.
    public var deepTraining: DeepTrainingRecord?

    public init(kind: String, libraryVersion: String, featureSet: FeatureSet, trainingStart: Timestamp, trainingEnd: Timestamp,
                labelSettings: TripleBarrierSettings, decisionIntervalMinutes: Int, dataHash: String, trainingSamples: Int,
                boosting: BoostingSettings, symbols: [String], marketContext: MarketContextSource?) {
        formatVersion = Self.currentFormatVersion
        self.kind = kind
        self.libraryVersion = libraryVersion
        self.featureSet = featureSet
        self.trainingStart = trainingStart
        self.trainingEnd = trainingEnd
        self.labelSettings = labelSettings
        self.decisionIntervalMinutes = decisionIntervalMinutes
        self.dataHash = dataHash
        self.trainingSamples = trainingSamples
        self.boosting = boosting
        threads = BoostingSettings.threadsPerModel
        self.symbols = symbols
        self.marketContext = marketContext
    }

    public static func sidecarPath(directory: String, kind: String) -> String { "\(directory)/\(kind).meta.json" }

    public func write(directory: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: URL(fileURLWithPath: Self.sidecarPath(directory: directory, kind: kind)), options: .atomic)
    }

    /// Reads and checks a sidecar: right kind, known format, the expected feature set.
    public static func read(directory: String, kind: String, expecting featureSet: FeatureSet?) throws -> ModelMetadata {
        let path = sidecarPath(directory: directory, kind: kind)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SignalsError.modelFile(path: path, message: "metadata sidecar not found")
        }
        let metadata: ModelMetadata
        do { metadata = try JSONDecoder().decode(ModelMetadata.self, from: data) } catch {
            throw SignalsError.modelFile(path: path, message: "unreadable metadata: \(error)")
        }
        guard metadata.formatVersion == currentFormatVersion else {
            throw SignalsError.modelFile(path: path, message: "format version \(metadata.formatVersion), this build reads \(currentFormatVersion)")
        }
        guard metadata.kind == kind else { throw SignalsError.modelFile(path: path, message: "kind \(metadata.kind), expected \(kind)") }
        if let featureSet, let mismatch = featureSet.mismatch(with: metadata.featureSet) {
            throw SignalsError.modelFile(path: path, message: "model was trained on other features: \(mismatch)")
        }
        return metadata
    }
}
