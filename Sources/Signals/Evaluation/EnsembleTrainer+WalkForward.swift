import Foundation
import TradingModel

extension EnsembleTrainer {
    /// What one fold produced, before the figures are assembled.
    struct FoldResult {
        var fold: WalkForwardFold
        var choice: ThresholdChoice
        var testIndices: [Int]
        var predictions: Predictions
        var importance: [FeatureImportance]
        var trainingDays: Double
        /// Member weights (plan order) and each member's own threshold choice on the calibration
        /// slice (for the per-model comparison after fees).
        var weights: [Double]
        var memberChoices: [String: ThresholdChoice]
    }

    /// Walk-forward evaluation: per fold, models trained and calibrated on the training window,
    /// a threshold chosen on its calibration slice (`ThresholdChoice`), predictions on the test
    /// window; then the out-of-sample figures of that choice, the table of every threshold, the
    /// baselines, the multiple-testing figures and the verdict (`WalkForwardAssembly`).
    public static func walkForward(dataset: SignalDataset, plan: TrainingPlan, symbols: [Symbol],
                                   progress: Progress = { _, _, _ in }) throws -> EvaluationReport {
        try plan.validate()
        let samples = dataset.samples
        let spans = samples.map { LabelSpan(start: $0.time, end: $0.endTime) }
        let folds = try PurgedWalkForward.folds(spans: spans, settings: plan.walkForward)
        let marketContext = dataset.featureSet.names.contains(MarketContextEngine.featureNames[0]) ? plan.contextSource(symbols: symbols) : nil
        let total = folds.count + 1
        var results: [FoldResult] = []
        for fold in folds {
            let trained = try withoutActuallyEscaping(progress) { progress in
                try trainMembers(dataset: dataset, plan: plan, trainingIndices: fold.trainingIndices,
                                 calibrationIndices: fold.calibrationIndices, symbols: symbols.map(\.name), marketContext: marketContext,
                                 epochProgress: { kind, epoch, epochs, loss in
                                     progress(fold.index, total, "fold \(fold.index + 1)/\(folds.count) \(kind) epoch \(epoch)/\(epochs) "
                                         + "validation loss \(String(format: "%.4f", loss))")
                                 })
            }
            let choice = trained.crossFittedCalibration.map {
                ThresholdChoice.choose(probabilities: $0, samples: fold.calibrationIndices.map { samples[$0] }, settings: plan.statistics,
                                       seed: plan.seed(fold: fold.index, purpose: 1))
            } ?? ThresholdChoice(threshold: nil, calibrationRows: [])
            let testIndices = Array(fold.testIndices)
            var matrix = try FeatureMatrix(featureSet: dataset.featureSet, rows: testIndices.map { samples[$0].features })
            if plan.hasDeepModels { matrix.sequences = plan.windows(dataset: dataset, rows: testIndices, withTargets: false) }
            let predictions = try predict(members: trained.members, weights: trained.weights, matrix: matrix)
            // Split gains and tree SHAP exist for the boosted trees only.
            let importance = try trained.members.filter { !TrainingPlan.deepKinds.contains(type(of: $0.model).kind) }.map { member in
                FeatureImportance(model: type(of: member.model).kind, gain: try member.model.gainImportance(),
                                  meanAbsoluteShap: try member.model.meanAbsoluteContributions(matrix))
            }
            let used = fold.trainingIndices.map { samples[$0].time.milliseconds }
            let trainingDays = Double((used.max() ?? 0) - (used.min() ?? 0)) / 86_400_000
            var memberChoices: [String: ThresholdChoice] = [:]
            for (index, kind) in plan.models.enumerated() {
                memberChoices[kind] = trained.memberCrossFitted[kind].map {
                    ThresholdChoice.choose(probabilities: $0, samples: fold.calibrationIndices.map { samples[$0] }, settings: plan.statistics,
                                           seed: plan.seed(fold: fold.index, purpose: 30 + UInt64(index)))
                } ?? ThresholdChoice(threshold: nil, calibrationRows: [])
            }
            results.append(FoldResult(fold: fold, choice: choice, testIndices: testIndices, predictions: predictions,
                                      importance: importance, trainingDays: trainingDays, weights: trained.weights,
                                      memberChoices: memberChoices))
            progress(fold.index + 1, total, "fold \(fold.index + 1)/\(folds.count) trained and evaluated")
        }
        var report = WalkForwardAssembly(dataset: dataset, plan: plan, symbols: symbols, results: results).report()
        if plan.statistics.leaveOneSymbolOut && symbols.count > 1 {
            report.leaveOneSymbolOut = try leaveOneSymbolOut(dataset: dataset, plan: plan, symbols: symbols, folds: folds, results: results,
                                                             marketContext: marketContext)
        }
        return report
    }
}

extension TrainingPlan {
    /// A seed for one use of randomness in the evaluation (bootstraps, random baselines), fixed
    /// by `baselineSeed`, the fold (−1 = pooled) and the purpose.
    public func seed(fold: Int, purpose: UInt64) -> UInt64 {
        baselineSeed &* 1_000_003 &+ UInt64(bitPattern: Int64(fold + 2)) &* 7919 &+ purpose
    }
}
