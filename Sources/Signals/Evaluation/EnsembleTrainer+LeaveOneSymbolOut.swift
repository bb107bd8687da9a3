import TradingModel

extension EnsembleTrainer {
    /// Pooled multi-symbol training, judged per symbol by models that never saw it: for each
    /// symbol and fold, members trained and calibrated on the other symbols' training windows,
    /// the threshold chosen on their calibration slice, the trades on this symbol's test window.
    /// Beside it, the same symbol's test windows as judged by the pooled walk-forward (trained
    /// with the symbol). Costs one training per symbol and fold.
    static func leaveOneSymbolOut(dataset: SignalDataset, plan: TrainingPlan, symbols: [Symbol], folds: [WalkForwardFold],
                                  results: [FoldResult], marketContext: MarketContextSource?) throws -> [SymbolHoldout] {
        let samples = dataset.samples
        var holdouts: [SymbolHoldout] = []
        for (symbolIndex, symbol) in symbols.enumerated() {
            var heldOutSamples: [LabeledSample] = [], heldOutSides: [SignalClass] = [], pooledSides: [SignalClass] = []
            for (fold, result) in zip(folds, results) {
                let training = fold.trainingIndices.filter { samples[$0].symbol != symbol }
                let calibration = fold.calibrationIndices.filter { samples[$0].symbol != symbol }
                let offsets = result.testIndices.indices.filter { samples[result.testIndices[$0]].symbol == symbol }
                guard !offsets.isEmpty, training.count >= 50, calibration.count >= 20 else { continue }
                let trained = try trainMembers(dataset: dataset, plan: plan, trainingIndices: training, calibrationIndices: calibration,
                                               symbols: symbols.filter { $0 != symbol }.map(\.name), marketContext: marketContext)
                let choice = trained.crossFittedCalibration.map {
                    ThresholdChoice.choose(probabilities: $0, samples: calibration.map { samples[$0] }, settings: plan.statistics,
                                           seed: plan.seed(fold: fold.index, purpose: 20 + UInt64(symbolIndex)))
                }
                let testSamples = offsets.map { samples[result.testIndices[$0]] }
                var matrix = try FeatureMatrix(featureSet: dataset.featureSet, rows: testSamples.map(\.features))
                if plan.hasDeepModels {
                    matrix.sequences = plan.windows(dataset: dataset, rows: offsets.map { result.testIndices[$0] }, withTargets: false)
                }
                let probabilities = try predict(members: trained.members, weights: trained.weights, matrix: matrix).ensemble
                heldOutSamples += testSamples
                heldOutSides += choice?.threshold.map { PredictionEvaluation.sides(probabilities, threshold: $0) }
                    ?? Array(repeating: .none, count: testSamples.count)
                let pooled = offsets.map { result.predictions.ensemble[$0] }
                pooledSides += result.choice.threshold.map { PredictionEvaluation.sides(pooled, threshold: $0) }
                    ?? Array(repeating: .none, count: testSamples.count)
            }
            guard let start = heldOutSamples.first?.time, let end = heldOutSamples.last?.time else { continue }
            let bootstrap = plan.statistics.bootstrap(seed: plan.seed(fold: -1, purpose: 40 + UInt64(symbolIndex)), stream: 0)
            holdouts.append(SymbolHoldout(
                symbol: symbol.name,
                heldOut: TradeSummary.compute(sides: heldOutSides, samples: heldOutSamples, windowStart: start, windowEnd: end, bootstrap: bootstrap),
                pooled: TradeSummary.compute(sides: pooledSides, samples: heldOutSamples, windowStart: start, windowEnd: end, bootstrap: bootstrap)))
        }
        return holdouts
    }
}
