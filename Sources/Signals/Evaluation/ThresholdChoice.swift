import TradingModel

/// The confidence threshold chosen inside one training window, never on the data it is then
/// judged on.
///
/// Where: the window's calibration slice (the last part of the training pool, which the models
/// did not fit), with probabilities calibrated by cross-fitting (`EnsembleTrainer`): each half
/// of the slice is calibrated by isotonic curves fitted on the other half, so no probability it
/// is judged on was calibrated on its own label.
/// Rule: among the report thresholds whose calibration-slice trades (one position per symbol at
/// a time) number at least `minimumCalibrationTrades`, the one with the highest day-block
/// bootstrap 95% lower bound of expectancy (ties: the lower threshold). None qualifies → no
/// threshold: the fold does not trade.
public struct ThresholdChoice: Sendable, Hashable, Codable {
    /// The chosen threshold; nil when no threshold had enough calibration-slice trades.
    public var threshold: Double?
    /// Every threshold's figures on the calibration slice (what the choice saw).
    public var calibrationRows: [ThresholdRow]

    /// The chosen threshold's calibration-slice figures.
    public var chosenRow: ThresholdRow? { calibrationRows.first { $0.threshold == threshold } }

    public static func choose(probabilities: [ClassProbabilities], samples: [LabeledSample], settings: StatisticsSettings,
                              seed: UInt64) -> ThresholdChoice {
        guard let start = samples.first?.time, let end = samples.last?.time else { return ThresholdChoice(threshold: nil, calibrationRows: []) }
        let rows = DecisionRule.reportThresholds.enumerated().map { index, threshold in
            let sides = probabilities.map { DecisionRule.decide($0, threshold: threshold).map(SignalClass.init) ?? .none }
            return ThresholdRow(threshold: threshold,
                                summary: TradeSummary.compute(sides: sides, samples: samples, windowStart: start, windowEnd: end,
                                                              bootstrap: settings.bootstrap(seed: seed, stream: UInt64(index))),
                                holmPValue: nil)
        }
        var best: ThresholdRow?
        for row in rows where row.trades >= settings.minimumCalibrationTrades {
            guard let lower = row.expectancyLowerBound else { continue }
            if best == nil || lower > (best?.expectancyLowerBound ?? -.infinity) { best = row }
        }
        return ThresholdChoice(threshold: best?.threshold, calibrationRows: rows)
    }
}
