import TradingModel

extension EnsembleTrainer {
    /// The ensemble for use: trained on all samples except the last calibration fraction, which
    /// (purged) calibrates it. Its training window is the whole data range.
    public static func trainFinal(dataset: SignalDataset, plan: TrainingPlan, symbols: [Symbol], directory: String) throws -> SignalEnsemble {
        try trainFinalChoosingThreshold(dataset: dataset, plan: plan, symbols: symbols, directory: directory).ensemble
    }

    /// `trainFinal`, and the threshold chosen on its calibration slice exactly as in every fold
    /// (`ThresholdChoice`): the one to trade with if the walk-forward verdict found an edge.
    public static func trainFinalChoosingThreshold(dataset: SignalDataset, plan: TrainingPlan, symbols: [Symbol],
                                                   directory: String) throws -> (ensemble: SignalEnsemble, choice: ThresholdChoice) {
        let spans = dataset.samples.map { LabelSpan(start: $0.time, end: $0.endTime) }
        let split = try PurgedWalkForward.splitForCalibration(pool: Array(spans.indices), spans: spans,
                                                              fraction: plan.walkForward.calibrationFraction,
                                                              embargoMs: Int64(plan.walkForward.embargoMinutes) * 60_000)
        let marketContext = dataset.featureSet.names.contains(MarketContextEngine.featureNames[0]) ? plan.contextSource(symbols: symbols) : nil
        let trained = try trainMembers(dataset: dataset, plan: plan, trainingIndices: split.training, calibrationIndices: split.calibration,
                                       symbols: symbols.map(\.name), marketContext: marketContext)
        let choice = trained.crossFittedCalibration.map {
            ThresholdChoice.choose(probabilities: $0, samples: split.calibration.map { dataset.samples[$0] }, settings: plan.statistics,
                                   seed: plan.seed(fold: 1000, purpose: 1))
        } ?? ThresholdChoice(threshold: nil, calibrationRows: [])
        let manifest = EnsembleManifest(formatVersion: 1, version: "", featureSet: dataset.featureSet, members: [], weights: trained.weights,
                                        trainingStart: dataset.dataStart, trainingEnd: dataset.dataEnd,
                                        decisionIntervalMinutes: plan.decisionIntervalMinutes, marketContext: marketContext,
                                        labelSettings: plan.labelSettings, dataHash: dataset.dataHash)
        return (try SignalEnsemble.save(members: trained.members, manifest: manifest, directory: directory), choice)
    }
}
