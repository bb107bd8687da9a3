import TradingModel

/// Why an `ml-ensemble` backtest refuses to start. Thrown before the replay: nothing is written.
public enum MLBacktestError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The data period shares time with the model's training window (or the label horizon after
    /// it). `trainingEnd` is the last training candle; `labelHorizonEnd` is how far its labels looked.
    case periodOverlapsTraining(periodStart: Timestamp, periodEnd: Timestamp, trainingStart: Timestamp, trainingEnd: Timestamp,
                                labelHorizonEnd: Timestamp, modelDirectory: String)
    /// The model directory cannot be loaded (missing, changed since training, unknown model kind).
    case modelUnavailable(directory: String, reason: String)
    /// The model was trained on features this build does not compute identically.
    case featureMismatch(directory: String, reason: String)
    /// The model's market-context symbols are not all among the backtest's data files.
    case contextSymbolsMissing(directory: String, needed: [Symbol], loaded: [Symbol])
    /// The exit levels traded differ from the barriers the model's labels were made with.
    case exitLevelsDiffer(directory: String, key: String, configured: Double, labelled: Double)
    /// Features are computed from one-minute candles only.
    case notOneMinuteData(intervalSeconds: Int64)

    public var description: String {
        switch self {
        case let .periodOverlapsTraining(periodStart, periodEnd, trainingStart, trainingEnd, horizonEnd, directory):
            "backtest period \(periodStart) ... \(periodEnd) overlaps the training window of the model in \(directory): "
                + "\(trainingStart) ... \(trainingEnd) (its labels look ahead to \(horizonEnd)). The results would be in-sample. "
                + "Backtest a period starting after \(horizonEnd), or pass --force-overlap (or [strategy] force_overlap = true) "
                + "and treat the results as in-sample."
        case let .modelUnavailable(directory, reason):
            "model directory \(directory) cannot be used: \(reason)"
        case let .featureMismatch(directory, reason):
            "model in \(directory) was trained on other features than this build computes: \(reason). Retrain it with `qt train`."
        case let .contextSymbolsMissing(directory, needed, loaded):
            "model in \(directory) needs market-context candles of \(needed.map(\.name).joined(separator: ", ")); "
                + "the backtest loads only \(loaded.map(\.name).joined(separator: ", ")). Add their --data files."
        case let .exitLevelsDiffer(directory, key, configured, labelled):
            "[strategy] \(key) = \(configured) differs from the model's label barrier \(labelled) (model in \(directory)): "
                + "the model predicts which of its barriers is hit first, so trade the same levels."
        case let .notOneMinuteData(seconds):
            "ml-ensemble needs one-minute candles (its features are built from them); the data has \(seconds) s bars"
        }
    }
}
