import TradingModel

/// `manifest.json` of a model directory: what the ensemble is and what it was trained on.
public struct EnsembleManifest: Sendable, Hashable, Codable {
    public static let fileName = "manifest.json"
    public var formatVersion: Int
    /// SHA-256 prefix over the model files, sidecars and calibrations: the model version that
    /// every signal records (`ml-ensemble@<version>`).
    public var version: String
    public var featureSet: FeatureSet
    public var members: [String]
    /// Weight of each member (member order), fitted out of fold (`EnsembleWeights`); nil in
    /// files written before weights existed: equal weights.
    public var weights: [Double]?
    /// First and last candle open time of the training data (models and calibration).
    public var trainingStart: Timestamp
    public var trainingEnd: Timestamp
    public var decisionIntervalMinutes: Int
    /// Market context behind the `context.*` features, when the feature set has them.
    public var marketContext: MarketContextSource?
    public var labelSettings: TripleBarrierSettings
    public var dataHash: String

    /// True when `[start, end]` shares any instant with the training window, or with the label
    /// horizon after it (labels near the end looked that far ahead).
    public func overlapsTraining(start: Timestamp, end: Timestamp) -> Bool {
        let horizonMs = Int64(labelSettings.horizonBars) * 60_000 + 60_000
        return start.milliseconds <= trainingEnd.milliseconds + horizonMs && end >= trainingStart
    }
}
