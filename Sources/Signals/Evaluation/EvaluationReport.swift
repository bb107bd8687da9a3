import Foundation
import TradingModel

/// Everything `qt train` measured, written as report.json and rendered as report.html. Every
/// figure in it is out-of-sample (walk-forward test windows) unless its name says otherwise
/// (`ThresholdChoice.calibrationRows`: the calibration slice the threshold was chosen on).
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
    /// Decision bars dropped because their label window spans a gap in the candles.
    public var droppedForGaps: Int
    /// Indicator restarts at gaps in the candles.
    public var featureRestarts: Int
    public var folds: [FoldReport]
    /// Pooled out-of-sample figures of every threshold (the table of configurations tried).
    public var pooled: OutOfSampleReport
    /// The verdict's subject: the thresholds chosen inside each training window, out of sample.
    public var chosen: ChosenConfigurationReport
    /// How many configurations were tried and what that does to the chosen one's figures.
    public var multipleTesting: MultipleTestingReport
    /// Per-class and trading reliability of the pooled out-of-sample ensemble probabilities.
    public var reliability: [ReliabilityDiagram]
    /// Coverage per threshold in each fold against the pooled walk-forward coverage.
    public var coverageByFold: [[CoverageDrift]]
    /// The chosen configuration's trades by regime.
    public var regimes: [RegimeSplit]
    /// Each symbol evaluated by models trained on the other symbols only (when requested).
    public var leaveOneSymbolOut: [SymbolHoldout]
    /// The threshold chosen the same way inside the final model's training window: the one to
    /// trade with, if the verdict says there is an edge.
    public var finalChoice: ThresholdChoice?
    /// The chosen signals replayed through the exit engine (`[exit]`), when `qt train` was given one.
    public var exitEngine: ExitEngineComparison?
    /// True when the chosen configuration passes every criterion (`EdgeCriterion`).
    public var edgeFound: Bool
    /// The plain-language verdict printed at the top of every report.
    public var verdict: String
    /// Why the verdict is NO (empty when it is YES).
    public var verdictReasons: [String]
    /// Every out-of-sample signal of the chosen configuration (for the exit-engine replay and audits).
    public var chosenSignals: [ChosenSignal]
    /// Wall-clock training time, filled in by the CLI (engine code does not read clocks).
    public var trainingSeconds: Double?
    /// Model version of the final ensemble written alongside (trained on all data, so it has no
    /// out-of-sample figures of its own: the folds above are its estimate).
    public var finalModelVersion: String?
    /// Each member alone, after fees (`ModelComparison`); nil in reports written before it existed.
    public var modelComparison: [ModelComparisonRow]? = nil
    /// Whether the deep members improve on the boosted trees after fees (`ModelComparison.statement`).
    public var deepVersusTrees: String? = nil
    /// The ensemble's member weights in each fold (plan's model order).
    public var weightsByFold: [[Double]]? = nil
}

extension EvaluationReport {
    /// report.json of a model directory.
    /// - Throws: `SignalsError.modelFile` when missing or written by another version.
    public static func read(directory: String) throws(SignalsError) -> EvaluationReport {
        let path = "\(directory)/report.json"
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .modelFile(path: path, message: "not found; run `qt train` first")
        }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do { return try decoder.decode(EvaluationReport.self, from: data) } catch {
            throw .modelFile(path: path, message: "not a report this version can read (written by an older qt?): run `qt train` again (\(error))")
        }
    }

    /// The pooled walk-forward coverage at each report threshold: the drift check's reference.
    public var coverageReference: [Double] { pooled.ensemble.thresholds.map(\.summary.coverage) }

    /// The final model's coverage at each report threshold on its calibration slice, when known.
    public var finalCoverage: [Double]? {
        guard let rows = finalChoice?.calibrationRows, rows.count == DecisionRule.reportThresholds.count else { return nil }
        return rows.map(\.summary.coverage)
    }
}

/// Out-of-sample figures on one set of test samples, every threshold of the table.
public struct OutOfSampleReport: Sendable, Hashable, Codable {
    public var testStart: Timestamp
    public var testEnd: Timestamp
    public var testSamples: Int
    public var ensemble: PredictionEvaluation
    /// Per model, calibrated, keyed by kind.
    public var models: [String: PredictionEvaluation]
    /// Accuracy of always answering the most frequent label of these samples, and of always NONE.
    public var majorityClassAccuracy: Double
    public var alwaysFlatAccuracy: Double
    /// The UTC days (`DayBlockBootstrap.day`) with decision bars: the days the intervals resample
    /// (nil in reports written before it was recorded).
    public var testDays: [Int64]? = nil
}

/// The chosen configuration, pooled over the folds' test windows.
public struct ChosenConfigurationReport: Sendable, Hashable, Codable {
    /// Trades at each fold's chosen threshold (folds without one do not trade).
    public var summary: TradeSummary
    /// The baselines on the same windows (random entry with each fold's coverage and mix).
    public var baselines: [BaselineEvaluation]
}

/// The multiple-testing figures of the chosen configuration.
public struct MultipleTestingReport: Sendable, Hashable, Codable {
    /// Thresholds in the table (each a configuration a reader could pick).
    public var configurations: Int
    /// CSCV probability of backtest overfitting over the table's daily returns.
    public var overfitting: OverfittingProbability?
    /// Deflated Sharpe ratio of the chosen configuration for `configurations` trials.
    public var deflatedSharpe: DeflatedSharpeRatio?
}

/// One walk-forward fold.
public struct FoldReport: Sendable, Hashable, Codable {
    public var index: Int
    public var trainingStart: Timestamp
    public var trainingEnd: Timestamp
    public var trainingSamples: Int
    public var calibrationSamples: Int
    public var purgedSamples: Int
    /// The threshold chosen on this fold's calibration slice.
    public var choice: ThresholdChoice
    public var outOfSample: OutOfSampleReport
    /// The chosen threshold's trades in this fold's test window (nil when none was chosen).
    public var chosen: TradeSummary?
    public var baselines: [BaselineEvaluation]
    public var importance: [FeatureImportance]
    /// Calendar-feature warnings (`FeatureImportance.calendarWarnings`).
    public var warnings: [String]
}

/// A signal of the chosen configuration on a test window.
public struct ChosenSignal: Sendable, Hashable, Codable {
    public var symbol: Symbol
    public var time: Timestamp
    public var side: Side
    public var confidence: Double
    public var fold: Int

    public init(symbol: Symbol, time: Timestamp, side: Side, confidence: Double, fold: Int) {
        self.symbol = symbol
        self.time = time
        self.side = side
        self.confidence = confidence
        self.fold = fold
    }
}

/// One symbol evaluated by models that never saw it: per fold, trained and calibrated on the
/// other symbols' training windows, the threshold chosen on their calibration slice, judged on
/// this symbol's test windows.
public struct SymbolHoldout: Sendable, Hashable, Codable {
    public var symbol: String
    public var heldOut: TradeSummary
    /// The same symbol's test windows as judged by the pooled walk-forward (trained with it).
    public var pooled: TradeSummary
}
