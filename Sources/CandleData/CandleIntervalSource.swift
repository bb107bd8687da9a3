/// Where a file's bar interval came from.
public enum CandleIntervalSource: String, Sendable, Hashable {
    /// Passed by the caller.
    case given
    /// Read from the file name (`-1m-`).
    case fileName
    /// The most common step between consecutive bars (a first pass over the time column).
    case inferred
    /// Fewer than two bars and no interval in the name: gaps cannot be judged.
    case unknown
}
