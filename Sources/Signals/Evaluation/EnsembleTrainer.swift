import TradingModel

/// Trains, calibrates and evaluates the ensemble: walk-forward for the out-of-sample report
/// (`EnsembleTrainer+WalkForward`), then a final ensemble on all the data for use
/// (`EnsembleTrainer+Final`).
public enum EnsembleTrainer {
    /// Progress callback: completed steps, total steps, what was just done.
    public typealias Progress = (Int, Int, String) -> Void

    /// Members trained on one window, and the ensemble's probabilities on its calibration slice
    /// calibrated by cross-fitting (each half by curves fitted on the other half): what the
    /// threshold is chosen on. nil when a half is too small (< 10 samples after purging).
    public struct TrainedMembers {
        public var members: [CalibratedModel]
        /// The members' weights in the ensemble (`EnsembleWeights`, member order).
        public var weights: [Double]
        /// Each member's cross-fitted calibrated probabilities on the calibration slice (by kind).
        public var memberCrossFitted: [String: [ClassProbabilities]]
        public var crossFittedCalibration: [ClassProbabilities]?
    }

    /// Trains each requested model on `trainingIndices` and calibrates it on `calibrationIndices`.
    /// Deep members get the rows' sequence windows (`SequenceIndex`) and report each epoch's
    /// validation loss to `epochProgress` (model kind, epoch, maximum epochs, validation loss).
    public static func trainMembers(dataset: SignalDataset, plan: TrainingPlan, trainingIndices: [Int], calibrationIndices: [Int],
                                    symbols: [String], marketContext: MarketContextSource?,
                                    epochProgress: ((String, Int, Int, Double) -> Void)? = nil) throws -> TrainedMembers {
        let samples = dataset.samples
        let training = trainingIndices.map { samples[$0] }
        let calibration = calibrationIndices.map { samples[$0] }
        var trainingMatrix = try FeatureMatrix(featureSet: dataset.featureSet, rows: training.map(\.features))
        var calibrationMatrix = try FeatureMatrix(featureSet: dataset.featureSet, rows: calibration.map(\.features))
        if plan.hasDeepModels {
            trainingMatrix.sequences = plan.windows(dataset: dataset, rows: trainingIndices, withTargets: true)
            calibrationMatrix.sequences = plan.windows(dataset: dataset, rows: calibrationIndices, withTargets: false)
        }
        let allIndices = trainingIndices + calibrationIndices
        let first = allIndices.map { samples[$0].time }.min() ?? dataset.dataStart
        let last = allIndices.map { samples[$0].endTime }.max() ?? dataset.dataEnd
        let halves = crossFittingHalves(calibration: calibration)
        var memberCrossFitted: [String: [ClassProbabilities]] = [:]
        let members = try plan.models.map { kind -> CalibratedModel in
            var metadata = ModelMetadata(kind: kind, libraryVersion: TrainingPlan.libraryVersion(kind: kind),
                                         featureSet: dataset.featureSet, trainingStart: first, trainingEnd: last,
                                         labelSettings: plan.labelSettings, decisionIntervalMinutes: plan.decisionIntervalMinutes,
                                         dataHash: dataset.dataHash, trainingSamples: training.count, boosting: plan.boosting,
                                         symbols: symbols, marketContext: marketContext)
            let labels = training.map(\.label)
            let report: (Int, Int, Double, Double) -> Void = { epoch, epochs, _, validationLoss in epochProgress?(kind, epoch, epochs, validationLoss) }
            let model: any SignalModel
            switch kind {
            case XGBoostModel.kind:
                model = try XGBoostModel.train(features: trainingMatrix, labels: labels, settings: plan.boosting, metadata: metadata)
            case NHiTSModel.kind:
                metadata.deep = plan.deep
                model = try NHiTSModel.train(features: trainingMatrix, metadata: metadata, plugin: DeepPlugin.shared.get(), progress: report)
            case TFTModel.kind:
                metadata.deep = plan.deep
                model = try TFTModel.train(features: trainingMatrix, metadata: metadata, plugin: DeepPlugin.shared.get(), progress: report)
            default:
                model = try LightGBMModel.train(features: trainingMatrix, labels: labels, settings: plan.boosting, metadata: metadata)
            }
            let raw = try model.predictProbabilities(calibrationMatrix)
            try ProbabilityCalibration.requireValid(raw, model: kind)
            if let halves {
                var crossFitted = raw
                for (fit, apply) in halves {
                    let curves = ProbabilityCalibration.fit(probabilities: fit.map { raw[$0] }, labels: fit.map { calibration[$0].label })
                    for index in apply { crossFitted[index] = curves.apply(raw[index]) }
                }
                memberCrossFitted[kind] = crossFitted
            }
            return CalibratedModel(model: model, calibration: ProbabilityCalibration.fit(probabilities: raw, labels: calibration.map(\.label)))
        }
        let fitted = plan.models.compactMap { memberCrossFitted[$0] }
        guard fitted.count == plan.models.count else {
            let equal = Array(repeating: 1 / Double(plan.models.count), count: plan.models.count)
            return TrainedMembers(members: members, weights: equal, memberCrossFitted: [:], crossFittedCalibration: nil)
        }
        let weights = EnsembleWeights.fit(members: fitted, labels: calibration.map(\.label))
        return TrainedMembers(members: members, weights: weights, memberCrossFitted: memberCrossFitted,
                              crossFittedCalibration: calibration.indices.map { EnsembleWeights.combine(fitted, weights: weights, row: $0) })
    }

    /// The calibration slice (time-sorted) cut in two halves: positions into `calibration` to
    /// fit isotonic curves on and the positions those curves calibrate. The first half's curves
    /// calibrate the second half and the reverse, each fitting set purged of samples whose label
    /// span overlaps the other half's window; every sample is calibrated exactly once.
    static func crossFittingHalves(calibration: [LabeledSample]) -> [(fit: [Int], apply: [Int])]? {
        let half = calibration.count / 2
        guard half >= 10 else { return nil }
        let spans = calibration.map { LabelSpan(start: $0.time, end: $0.endTime) }
        let first = Array(0..<half), second = Array(half..<calibration.count)
        guard let firstWindow = PurgedWalkForward.window(of: first, spans: spans),
              let secondWindow = PurgedWalkForward.window(of: second, spans: spans) else { return nil }
        let fitFirst = PurgedWalkForward.purge(candidates: first, spans: spans, window: secondWindow, embargoMs: 0)
        let fitSecond = PurgedWalkForward.purge(candidates: second, spans: spans, window: firstWindow, embargoMs: 0)
        guard fitFirst.count >= 10, fitSecond.count >= 10 else { return nil }
        return [(fitFirst, second), (fitSecond, first)]
    }

    /// Calibrated and raw probabilities of each member and of the ensemble (weighted average of
    /// the calibrated; the raw one unweighted, for the calibration figures).
    struct Predictions {
        var ensemble: [ClassProbabilities]
        var ensembleRaw: [ClassProbabilities]
        var models: [String: (calibrated: [ClassProbabilities], raw: [ClassProbabilities])]
    }

    static func predict(members: [CalibratedModel], weights: [Double], matrix: FeatureMatrix) throws -> Predictions {
        var ensemble = Array(repeating: [0.0, 0.0, 0.0], count: matrix.rowCount), ensembleRaw = ensemble
        var models: [String: (calibrated: [ClassProbabilities], raw: [ClassProbabilities])] = [:]
        for (member, weight) in zip(members, weights) {
            let (calibrated, raw) = try member.predictProbabilities(matrix)
            models[type(of: member.model).kind] = (calibrated, raw)
            for row in calibrated.indices {
                for column in 0..<3 {
                    ensemble[row][column] += weight * calibrated[row].values[column]
                    ensembleRaw[row][column] += raw[row].values[column]
                }
            }
        }
        return Predictions(ensemble: ensemble.map { ClassProbabilities($0).normalized() },
                           ensembleRaw: ensembleRaw.map { ClassProbabilities($0).normalized() }, models: models)
    }
}
