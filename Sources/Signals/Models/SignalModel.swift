/// A probabilistic classifier of `SignalClass` behind which every library sits (XGBoost,
/// LightGBM; the deep forecasters later). Models are reference types wrapping C handles and are
/// not `Sendable`: one owner uses a model at a time.
public protocol SignalModel: AnyObject {
    /// File-name stem and metadata `kind`: `xgboost`, `lightgbm`.
    static var kind: String { get }
    /// Version of the linked library.
    static var libraryVersion: String { get }
    var metadata: ModelMetadata { get }

    /// Trains on `features` (rows) with `labels`, one thread, deterministic for a seed.
    static func train(features: FeatureMatrix, labels: [SignalClass], settings: BoostingSettings,
                      metadata: ModelMetadata) throws -> Self
    /// Uncalibrated probabilities `[P(none), P(long), P(short)]`, one per row.
    /// - Throws: `SignalsError.featureMismatch` when the matrix is for another feature set.
    func predictProbabilities(_ features: FeatureMatrix) throws -> [ClassProbabilities]
    /// Total gain of the splits on each feature (column order), from the library.
    func gainImportance() throws -> [Double]
    /// Mean over rows of Σ over classes of |SHAP contribution| per feature (column order), from
    /// the library's exact tree SHAP.
    func meanAbsoluteContributions(_ features: FeatureMatrix) throws -> [Double]
    /// Writes `<kind>.model.*` and `<kind>.meta.json` into `directory`.
    func save(directory: String) throws
    /// Loads from `directory`, failing with a clear error when the features differ.
    static func load(directory: String, expecting featureSet: FeatureSet) throws -> Self
    /// One line: library, version, feature set, training window, samples.
    func describe() -> String
}

extension SignalModel {
    /// Checks that a matrix was built for this model's features.
    func requireMatching(_ features: FeatureMatrix) throws(SignalsError) {
        if let mismatch = metadata.featureSet.mismatch(with: features.featureSet) { throw .featureMismatch(mismatch) }
    }

    /// Probabilities for one live feature vector.
    public func predictProbabilities(_ vector: FeatureVector) throws -> ClassProbabilities {
        let matrix = try FeatureMatrix(featureSet: metadata.featureSet, vector: vector)
        return try predictProbabilities(matrix)[0]
    }

    public func describe() -> String {
        "\(Self.kind) \(Self.libraryVersion), \(metadata.featureSet), trained on \(metadata.trainingStart)...\(metadata.trainingEnd) "
            + "(\(metadata.trainingSamples) samples, \(metadata.threads) thread), data \(metadata.dataHash.prefix(12))"
    }
}
