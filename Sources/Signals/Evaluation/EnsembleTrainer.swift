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
        public var crossFittedCalibration: [ClassProbabilities]?
    }

    /// Trains each requested model on `trainingIndices` and calibrates it on `calibrationIndices`.
    public static func trainMembers(dataset: SignalDataset, plan: TrainingPlan, trainingIndices: [Int], calibrationIndices: [Int],
                                    symbols: [String], marketContext: MarketContextSource?) throws -> TrainedMembers {
        let samples = dataset.samples
        let training = trainingIndices.map { samples[$0] }
        let calibration = calibrationIndices.map { samples[$0] }
        let trainingMatrix = try FeatureMatrix(featureSet: dataset.featureSet, rows: training.map(\.features))
        let calibrationMatrix = try FeatureMatrix(featureSet: dataset.featureSet, rows: calibration.map(\.features))
        let allIndices = trainingIndices + calibrationIndices
        let first = allIndices.map { samples[$0].time }.min() ?? dataset.dataStart
        let last = allIndices.map { samples[$0].endTime }.max() ?? dataset.dataEnd
        let halves = crossFittingHalves(calibration: calibration)
        var crossFitted: [[Double]]? = halves == nil ? nil : Array(repeating: [0, 0, 0], count: calibration.count)
        let members = try plan.models.map { kind -> CalibratedModel in
            let metadata = ModelMetadata(kind: kind, libraryVersion: kind == XGBoostModel.kind ? XGBoostModel.libraryVersion : LightGBMModel.libraryVersion,
                                         featureSet: dataset.featureSet, trainingStart: first, trainingEnd: last,
                                         labelSettings: plan.labelSettings, decisionIntervalMinutes: plan.decisionIntervalMinutes,
                                         dataHash: dataset.dataHash, trainingSamples: training.count, boosting: plan.boosting,
                                         symbols: symbols, marketContext: marketContext)
            let model: any SignalModel = kind == XGBoostModel.kind
                ? try XGBoostModel.train(features: trainingMatrix, labels: training.map(\.label), settings: plan.boosting, metadata: metadata)
                : try LightGBMModel.train(features: trainingMatrix, labels: training.map(\.label), settings: plan.boosting, metadata: metadata)
            let raw = try model.predictProbabilities(calibrationMatrix)
            try ProbabilityCalibration.requireValid(raw, model: kind)
            if let halves {
                for (fit, apply) in halves {
                    let curves = ProbabilityCalibration.fit(probabilities: fit.map { raw[$0] }, labels: fit.map { calibration[$0].label })
                    for index in apply {
                        let calibrated = curves.apply(raw[index])
                        for column in 0..<3 { crossFitted![index][column] += calibrated.values[column] }
                    }
                }
            }
            return CalibratedModel(model: model, calibration: ProbabilityCalibration.fit(probabilities: raw, labels: calibration.map(\.label)))
        }
        return TrainedMembers(members: members, crossFittedCalibration: crossFitted.map { $0.map { ClassProbabilities($0).normalized() } })
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
}
