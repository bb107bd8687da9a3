import TradingConfig

/// The `ml-ensemble` keys of `[strategy]`: which trained model to trade and how confident it
/// must be. Read only when `name = "ml-ensemble"` (other strategies reject these keys).
public struct MLEnsembleSettings: Sendable, Hashable {
    /// Model directory written by `qt train` (manifest, models, calibrations). Required.
    public var modelDirectory: String
    /// Minimum calibrated probability of the chosen side, in [0.5, 1). Required: pick it from
    /// the model's out-of-sample report (`qt model report`), not from a default.
    public var threshold: Double
    /// Run on a period overlapping the model's training window (results are then in-sample and
    /// labelled so). Default false; `qt backtest --force-overlap` sets it too.
    public var forceOverlap: Bool

    public init(modelDirectory: String, threshold: Double, forceOverlap: Bool = false) {
        self.modelDirectory = modelDirectory
        self.threshold = threshold
        self.forceOverlap = forceOverlap
    }

    public init(from section: ConfigSection) throws(ConfigError) {
        modelDirectory = try section.requiredString("model_dir")
        if modelDirectory.isEmpty { throw section.invalid("model_dir", "must name a model directory written by `qt train`") }
        threshold = try section.requiredDouble("threshold", range: 0.5...0.99)
        forceOverlap = try section.bool("force_overlap", default: false)
    }
}
