import TradingModel

/// Trains, calibrates and evaluates the ensemble: walk-forward for the out-of-sample report,
/// then a final ensemble on all the data for use.
public enum EnsembleTrainer {
    /// Progress callback: completed steps, total steps, what was just done.
    public typealias Progress = (Int, Int, String) -> Void

    /// Trains each requested model on `trainingIndices` and calibrates it on `calibrationIndices`.
    public static func trainMembers(dataset: SignalDataset, plan: TrainingPlan, trainingIndices: [Int], calibrationIndices: [Int],
                                    symbols: [String], marketContext: MarketContextSource?) throws -> [CalibratedModel] {
        let samples = dataset.samples
        let training = trainingIndices.map { samples[$0] }
        let calibration = calibrationIndices.map { samples[$0] }
        let trainingMatrix = try FeatureMatrix(featureSet: dataset.featureSet, rows: training.map(\.features))
        let calibrationMatrix = try FeatureMatrix(featureSet: dataset.featureSet, rows: calibration.map(\.features))
        let allIndices = trainingIndices + calibrationIndices
        let first = allIndices.map { samples[$0].time }.min() ?? dataset.dataStart
        let last = allIndices.map { samples[$0].endTime }.max() ?? dataset.dataEnd
        return try plan.models.map { kind -> CalibratedModel in
            let metadata = ModelMetadata(kind: kind, libraryVersion: kind == XGBoostModel.kind ? XGBoostModel.libraryVersion : LightGBMModel.libraryVersion,
                                         featureSet: dataset.featureSet, trainingStart: first, trainingEnd: last,
                                         labelSettings: plan.labelSettings, decisionIntervalMinutes: plan.decisionIntervalMinutes,
                                         dataHash: dataset.dataHash, trainingSamples: training.count, boosting: plan.boosting,
                                         symbols: symbols, marketContext: marketContext)
            let model: any SignalModel = kind == XGBoostModel.kind
                ? try XGBoostModel.train(features: trainingMatrix, labels: training.map(\.label), settings: plan.boosting, metadata: metadata)
                : try LightGBMModel.train(features: trainingMatrix, labels: training.map(\.label), settings: plan.boosting, metadata: metadata)
            let raw = try model.predictProbabilities(calibrationMatrix)
            return CalibratedModel(model: model, calibration: ProbabilityCalibration.fit(probabilities: raw, labels: calibration.map(\.label)))
        }
    }

    /// Calibrated and raw probabilities of each member and of the ensemble (average of the calibrated).
    struct Predictions {
        var ensemble: [ClassProbabilities]
        var ensembleRaw: [ClassProbabilities]
        var models: [String: (calibrated: [ClassProbabilities], raw: [ClassProbabilities])]
    }

    static func predict(members: [CalibratedModel], matrix: FeatureMatrix) throws -> Predictions {
        var ensemble = Array(repeating: [0.0, 0.0, 0.0], count: matrix.rowCount), ensembleRaw = ensemble
        var models: [String: (calibrated: [ClassProbabilities], raw: [ClassProbabilities])] = [:]
        for member in members {
            let (calibrated, raw) = try member.predictProbabilities(matrix)
            models[type(of: member.model).kind] = (calibrated, raw)
            for row in calibrated.indices {
                for column in 0..<3 {
                    ensemble[row][column] += calibrated[row].values[column]
                    ensembleRaw[row][column] += raw[row].values[column]
                }
            }
        }
        return Predictions(ensemble: ensemble.map { ClassProbabilities($0).normalized() },
                           ensembleRaw: ensembleRaw.map { ClassProbabilities($0).normalized() }, models: models)
    }

    static func report(predictions: Predictions, samples: [LabeledSample], plan: TrainingPlan, baselineSeed: UInt64,
                       fallbackTime: Timestamp) -> OutOfSampleReport {
        let baselines = BaselineEvaluation.all(samples: samples, seed: baselineSeed)
        var models: [String: PredictionEvaluation] = [:]
        for (kind, probabilities) in predictions.models {
            models[kind] = PredictionEvaluation.compute(calibrated: probabilities.calibrated, uncalibrated: probabilities.raw,
                                                        samples: samples, baselines: baselines, criterion: plan.edge)
        }
        let ensemble = PredictionEvaluation.compute(calibrated: predictions.ensemble, uncalibrated: predictions.ensembleRaw,
                                                    samples: samples, baselines: baselines, criterion: plan.edge)
        return OutOfSampleReport(testStart: samples.first?.time ?? fallbackTime, testEnd: samples.last?.time ?? fallbackTime,
                                 testSamples: samples.count, ensemble: ensemble, models: models, baselines: baselines)
    }

    /// Walk-forward evaluation: per-fold and pooled out-of-sample figures, and the verdict.
    public static func walkForward(dataset: SignalDataset, plan: TrainingPlan, symbols: [Symbol],
                                   progress: Progress = { _, _, _ in }) throws -> EvaluationReport {
        try plan.validate()
        let samples = dataset.samples
        let spans = samples.map { LabelSpan(start: $0.time, end: $0.endTime) }
        let folds = try PurgedWalkForward.folds(spans: spans, settings: plan.walkForward)
        let marketContext = dataset.featureSet.names.contains(MarketContextEngine.featureNames[0]) ? plan.contextSource(symbols: symbols) : nil
        let total = folds.count + 1
        var reports: [FoldReport] = []
        var pooled = Predictions(ensemble: [], ensembleRaw: [], models: [:])
        var pooledIndices: [Int] = []
        for fold in folds {
            let members = try trainMembers(dataset: dataset, plan: plan, trainingIndices: fold.trainingIndices,
                                           calibrationIndices: fold.calibrationIndices, symbols: symbols.map(\.name), marketContext: marketContext)
            let testIndices = Array(fold.testIndices)
            let testSamples = testIndices.map { samples[$0] }
            let matrix = try FeatureMatrix(featureSet: dataset.featureSet, rows: testSamples.map(\.features))
            let predictions = try predict(members: members, matrix: matrix)
            let outOfSample = report(predictions: predictions, samples: testSamples, plan: plan,
                                     baselineSeed: plan.baselineSeed &+ UInt64(fold.index + 1), fallbackTime: dataset.dataStart)
            pooled.ensemble += predictions.ensemble
            pooled.ensembleRaw += predictions.ensembleRaw
            for (kind, probabilities) in predictions.models {
                let previous = pooled.models[kind] ?? ([], [])
                pooled.models[kind] = (previous.calibrated + probabilities.calibrated, previous.raw + probabilities.raw)
            }
            pooledIndices += testIndices
            let used = fold.trainingIndices + fold.calibrationIndices
            reports.append(FoldReport(index: fold.index, trainingStart: used.map { samples[$0].time }.min() ?? dataset.dataStart,
                                      trainingEnd: used.map { samples[$0].endTime }.max() ?? dataset.dataStart,
                                      trainingSamples: fold.trainingIndices.count, calibrationSamples: fold.calibrationIndices.count,
                                      purgedSamples: fold.purgedCount, outOfSample: outOfSample))
            progress(fold.index + 1, total, "fold \(fold.index + 1)/\(folds.count) trained and evaluated")
        }
        let pooledReport = report(predictions: pooled, samples: pooledIndices.map { samples[$0] }, plan: plan,
                                  baselineSeed: plan.baselineSeed, fallbackTime: dataset.dataStart)
        let ensemble = pooledReport.ensemble
        let winners = ensemble.thresholds.filter(\.beatsBaselines)
        let verdict: String
        if winners.isEmpty {
            verdict = "No confidence threshold beats the naive baselines after fees out-of-sample: the models show no tradeable edge on this data. Do not trade them."
        } else {
            let list = winners.map { String(format: "%.2f", $0.threshold) }.joined(separator: ", ")
            verdict = "Out-of-sample, thresholds \(list) beat every baseline after fees (95% lower bound of expectancy above zero, at least \(plan.edge.minimumTrades) trades). Confirm in a backtest on a later period before trading."
        }
        var labelCounts = [0, 0, 0]
        for sample in samples { labelCounts[sample.label.rawValue] += 1 }
        return EvaluationReport(featureSet: dataset.featureSet, plan: plan, symbols: symbols.map(\.name), dataHash: dataset.dataHash,
                                dataStart: dataset.dataStart, dataEnd: dataset.dataEnd, samples: samples.count, labelCounts: labelCounts,
                                droppedForMissingFeatures: dataset.droppedForMissingFeatures, folds: reports, pooled: pooledReport,
                                edgeFound: !winners.isEmpty, verdict: verdict, trainingSeconds: nil, finalModelVersion: nil)
    }

    /// The ensemble for use: trained on all samples except the last calibration fraction, which
    /// (purged) calibrates it. Its training window is the whole data range.
    public static func trainFinal(dataset: SignalDataset, plan: TrainingPlan, symbols: [Symbol], directory: String) throws -> SignalEnsemble {
        let spans = dataset.samples.map { LabelSpan(start: $0.time, end: $0.endTime) }
        let split = try PurgedWalkForward.splitForCalibration(pool: Array(spans.indices), spans: spans,
                                                              fraction: plan.walkForward.calibrationFraction,
                                                              embargoMs: Int64(plan.walkForward.embargoMinutes) * 60_000)
        let marketContext = dataset.featureSet.names.contains(MarketContextEngine.featureNames[0]) ? plan.contextSource(symbols: symbols) : nil
        let members = try trainMembers(dataset: dataset, plan: plan, trainingIndices: split.training, calibrationIndices: split.calibration,
                                       symbols: symbols.map(\.name), marketContext: marketContext)
        let manifest = EnsembleManifest(formatVersion: 1, version: "", featureSet: dataset.featureSet, members: [],
                                        trainingStart: dataset.dataStart, trainingEnd: dataset.dataEnd,
                                        decisionIntervalMinutes: plan.decisionIntervalMinutes, marketContext: marketContext,
                                        labelSettings: plan.labelSettings, dataHash: dataset.dataHash)
        return try SignalEnsemble.save(members: members, manifest: manifest, directory: directory)
    }
}
