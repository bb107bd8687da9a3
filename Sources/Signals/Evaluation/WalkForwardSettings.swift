/// Expanding-window walk-forward with purging and embargo.
///
/// The samples (sorted by time) are split: the first `initialTrainingFraction` only trains; the
/// rest is cut into `folds` consecutive test windows. Fold k trains on every sample before its
/// test window whose label span ends more than `embargoMinutes` before the window starts
/// (purging plus the embargo as a gap: the last labels the models see are at least that far
/// from the first test decision). The last `calibrationFraction` of each training pool
/// calibrates instead of training, with the same purge and gap between the two.
public struct WalkForwardSettings: Sendable, Hashable, Codable {
    public var folds: Int
    public var initialTrainingFraction: Double
    public var calibrationFraction: Double
    public var embargoMinutes: Int

    public init(folds: Int = 4, initialTrainingFraction: Double = 0.4, calibrationFraction: Double = 0.25, embargoMinutes: Int = 60) {
        self.folds = folds
        self.initialTrainingFraction = initialTrainingFraction
        self.calibrationFraction = calibrationFraction
        self.embargoMinutes = embargoMinutes
    }

    public func validate() throws(SignalsError) {
        guard folds >= 1, folds <= 20 else { throw .invalidSetting(key: "folds", message: "must be in 1...20, got \(folds)") }
        guard initialTrainingFraction > 0.05, initialTrainingFraction < 0.95 else {
            throw .invalidSetting(key: "initial_training_fraction", message: "must be in (0.05, 0.95)")
        }
        guard calibrationFraction > 0.05, calibrationFraction < 0.6 else {
            throw .invalidSetting(key: "calibration_fraction", message: "must be in (0.05, 0.6)")
        }
        guard embargoMinutes >= 0 else { throw .invalidSetting(key: "embargo_minutes", message: "must not be negative") }
    }
}
