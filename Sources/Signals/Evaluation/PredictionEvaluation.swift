import TradingModel

/// Out-of-sample evaluation of one predictor (a model or the ensemble) on a set of samples:
/// probability quality and the table of thresholds (each a configuration tried), with Holm-
/// adjusted p-values across the table.
public struct PredictionEvaluation: Sendable, Hashable, Codable {
    public var metrics: ClassificationMetrics
    /// ECE of the same predictions before calibration, to show what calibration did.
    public var uncalibratedExpectedCalibrationError: Double?
    public var thresholds: [ThresholdRow]

    public static func compute(calibrated: [ClassProbabilities], uncalibrated: [ClassProbabilities]?, samples: [LabeledSample],
                               statistics: StatisticsSettings, seed: UInt64) -> PredictionEvaluation {
        let labels = samples.map(\.label)
        let start = samples.first?.time ?? Timestamp(milliseconds: 0), end = samples.last?.time ?? start
        var rows = DecisionRule.reportThresholds.enumerated().map { index, threshold in
            ThresholdRow(threshold: threshold,
                         summary: TradeSummary.compute(sides: sides(calibrated, threshold: threshold), samples: samples, windowStart: start,
                                                       windowEnd: end, bootstrap: statistics.bootstrap(seed: seed, stream: UInt64(index))),
                         holmPValue: nil)
        }
        let adjusted = HolmAdjustment.adjust(rows.map { $0.summary.interval?.pValue })
        for index in rows.indices { rows[index].holmPValue = adjusted[index] }
        let raw = uncalibrated.map { ClassificationMetrics.compute(probabilities: $0, labels: labels).expectedCalibrationError }
        return PredictionEvaluation(metrics: ClassificationMetrics.compute(probabilities: calibrated, labels: labels),
                                    uncalibratedExpectedCalibrationError: raw, thresholds: rows)
    }

    /// The decision rule's classes at `threshold`.
    public static func sides(_ probabilities: [ClassProbabilities], threshold: Double) -> [SignalClass] {
        probabilities.map { DecisionRule.decide($0, threshold: threshold).map(SignalClass.init) ?? .none }
    }
}
