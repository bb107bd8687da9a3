import TradingModel

/// A trained model on data after its training window (`qt model report DIR --data FILE…`): the
/// drift check against the walk-forward coverage, and the trades at the threshold chosen on the
/// final model's calibration slice, with the same statistics and baselines as the report
/// (random entry with the final model's coverage and long/short mix on this data).
public struct HeldOutEvaluation: Sendable, Hashable, Codable {
    public var start: Timestamp
    public var end: Timestamp
    public var decisionBars: Int
    /// The threshold judged (the final model's choice); nil when it had none.
    public var threshold: Double?
    public var summary: TradeSummary?
    public var baselines: [BaselineEvaluation]
    /// Every report threshold on this data (information, as in the report's table).
    public var thresholds: [ThresholdRow]
    public var drift: [CoverageDrift]

    public static func compute(ensemble: SignalEnsemble, dataset: SignalDataset, report: EvaluationReport) throws -> HeldOutEvaluation {
        let samples = dataset.samples
        var matrix = try FeatureMatrix(featureSet: dataset.featureSet, rows: samples.map(\.features))
        if report.plan.hasDeepModels { matrix.sequences = report.plan.windows(dataset: dataset, rows: Array(samples.indices), withTargets: false) }
        let probabilities = try ensemble.predictProbabilities(matrix)
        let statistics = report.plan.statistics
        let evaluation = PredictionEvaluation.compute(calibrated: probabilities, uncalibrated: nil, samples: samples, statistics: statistics,
                                                      seed: report.plan.seed(fold: 2000, purpose: 5))
        let reference = report.coverageReference, final = report.finalCoverage
        let drift = evaluation.thresholds.enumerated().map { index, row in
            CoverageDrift.check(threshold: row.threshold, reference: index < reference.count ? reference[index] : 0,
                                signals: row.summary.signals, decisionBars: samples.count, finalCalibrationSlice: final?[index])
        }
        let start = samples.first?.time ?? dataset.dataStart, end = samples.last?.time ?? dataset.dataEnd
        let threshold = report.finalChoice?.threshold
        let modelSides = threshold.map { PredictionEvaluation.sides(probabilities, threshold: $0) }
        let summary = modelSides.map { sides in
            TradeSummary.compute(sides: sides, samples: samples, windowStart: start, windowEnd: end,
                                 bootstrap: statistics.bootstrap(seed: report.plan.seed(fold: 2000, purpose: 2), stream: 0))
        }
        var baselines = BaselineEvaluation.deterministicSides(samples: samples).enumerated().map { index, baseline in
            BaselineEvaluation(name: baseline.name,
                               summary: TradeSummary.compute(sides: baseline.sides, samples: samples, windowStart: start, windowEnd: end,
                                                             bootstrap: statistics.bootstrap(seed: report.plan.seed(fold: 2000, purpose: 6),
                                                                                             stream: UInt64(index))),
                               random: nil)
        }
        if let modelSides, let summary, summary.signals > 0 {
            let signals = modelSides.filter { $0 != .none }
            let draws = BaselineEvaluation.randomSides(count: modelSides.count, coverage: summary.coverage,
                                                       longShare: Double(signals.filter { $0 == .long }.count) / Double(signals.count),
                                                       draws: statistics.randomBaselineDraws, seed: report.plan.seed(fold: 2000, purpose: 3))
                .map { TradeSummary.compute(sides: $0, samples: samples, windowStart: start, windowEnd: end, bootstrap: nil) }
            if let first = draws.first {
                baselines.append(BaselineEvaluation(name: "random-entry", summary: first,
                                                    random: RandomDraws(summaries: draws, modelExpectancy: summary.expectancy)))
            }
        }
        return HeldOutEvaluation(start: start, end: end, decisionBars: samples.count, threshold: threshold, summary: summary,
                                 baselines: baselines, thresholds: evaluation.thresholds, drift: drift)
    }
}
