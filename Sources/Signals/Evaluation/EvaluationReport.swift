import TradingModel

/// Everything `qt train` measured, written as report.json and rendered as report.html. Every
/// figure in it is out-of-sample (walk-forward test windows) unless its name says otherwise.
public struct EvaluationReport: Sendable, Hashable, Codable {
    public var featureSet: FeatureSet
    public var plan: TrainingPlan
    public var symbols: [String]
    public var dataHash: String
    public var dataStart: Timestamp
    public var dataEnd: Timestamp
    public var samples: Int
    /// Label counts over all samples: NONE, LONG, SHORT.
    public var labelCounts: [Int]
    public var droppedForMissingFeatures: Int
    public var folds: [FoldReport]
    public var pooled: OutOfSampleReport
    /// True when some pooled ensemble threshold beats every baseline after fees.
    public var edgeFound: Bool
    /// The plain-language verdict printed at the top of every report.
    public var verdict: String
    /// Wall-clock training time, filled in by the CLI (engine code does not read clocks).
    public var trainingSeconds: Double?
    /// Model version of the final ensemble written alongside (trained on all data, so it has no
    /// out-of-sample figures of its own: the folds above are its estimate).
    public var finalModelVersion: String?
}

/// Out-of-sample figures on one set of test samples.
public struct OutOfSampleReport: Sendable, Hashable, Codable {
    public var testStart: Timestamp
    public var testEnd: Timestamp
    public var testSamples: Int
    public var ensemble: PredictionEvaluation
    /// Per model, calibrated, keyed by kind.
    public var models: [String: PredictionEvaluation]
    public var baselines: [BaselineEvaluation]
}

/// One walk-forward fold.
public struct FoldReport: Sendable, Hashable, Codable {
    public var index: Int
    public var trainingStart: Timestamp
    public var trainingEnd: Timestamp
    public var trainingSamples: Int
    public var calibrationSamples: Int
    public var purgedSamples: Int
    public var outOfSample: OutOfSampleReport
}
