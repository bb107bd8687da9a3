import TradingModel

/// A run of missing bars between two bars that are present. Gaps are reported, never filled.
public struct CandleGap: Sendable, Hashable {
    /// Open time of the first missing bar (the bar before the gap + one interval).
    public var firstMissingOpenTime: Timestamp
    /// Open time of the last missing bar (the bar after the gap − one interval).
    public var lastMissingOpenTime: Timestamp
    /// Number of missing bars: `step / interval − 1`.
    public var missingBarCount: Int64

    public init(firstMissingOpenTime: Timestamp, lastMissingOpenTime: Timestamp, missingBarCount: Int64) {
        self.firstMissingOpenTime = firstMissingOpenTime
        self.lastMissingOpenTime = lastMissingOpenTime
        self.missingBarCount = missingBarCount
    }
}
