/// Out-of-sample evaluation of one predictor (a model or the ensemble) on a set of samples.
public struct PredictionEvaluation: Sendable, Hashable, Codable {
    public var metrics: ClassificationMetrics
    /// ECE of the same predictions before calibration, to show what calibration did.
    public var uncalibratedExpectedCalibrationError: Double?
    public var thresholds: [ThresholdRow]

    public static func compute(calibrated: [ClassProbabilities], uncalibrated: [ClassProbabilities]?, samples: [LabeledSample],
                               baselines: [BaselineEvaluation], criterion: EdgeCriterion) -> PredictionEvaluation {
        let labels = samples.map(\.label)
        let rows = DecisionRule.reportThresholds.map { threshold in
            let sides = calibrated.map { DecisionRule.decide($0, threshold: threshold).map(SignalClass.init) ?? .none }
            var row = ThresholdRow.compute(threshold: threshold, sides: sides, samples: samples)
            row.beatsBaselines = criterion.beats(row, baselines: baselines)
            return row
        }
        let raw = uncalibrated.map { ClassificationMetrics.compute(probabilities: $0, labels: labels).expectedCalibrationError }
        return PredictionEvaluation(metrics: ClassificationMetrics.compute(probabilities: calibrated, labels: labels),
                                    uncalibratedExpectedCalibrationError: raw, thresholds: rows)
    }
}
