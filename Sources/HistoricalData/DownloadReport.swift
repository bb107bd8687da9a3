import CandleData
import TradingModel

/// What one symbol and dataset produced.
public struct DatasetOutcome: Sendable {
    public var symbol: Symbol
    public var dataset: ArchiveDataset
    /// The file written, nil when no row was found.
    public var outputPath: String?
    public var rows: Int
    public var firstTime: Timestamp?
    public var lastTime: Timestamp?
    /// Missing bars inside the file (klines only), as `qt data inspect` reports them.
    public var gaps: [CandleGap]
    /// Archive periods that do not exist (404) and had no replacement.
    public var missingPeriods: [String]
    public var archiveFiles: Int
    public var restRanges: Int
}

/// The result of a whole download.
public struct DownloadReport: Sendable {
    public var datasets: [DatasetOutcome]
    public var statistics: DownloadStatistics.Snapshot
}
