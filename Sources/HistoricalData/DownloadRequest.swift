import TradingModel

/// What `qt data download` asks for.
public struct DownloadRequest: Sendable {
    public var symbols: [Symbol]
    public var datasets: [ArchiveDataset]
    /// First and last UTC day, inclusive (the last is cut to today).
    public var from: CalendarDay
    public var to: CalendarDay
    /// Where the `SYMBOL-INTERVAL-FROM_TO.csv.gz` files go (mark-price klines in `mark-price/`).
    public var outputDirectory: String
    /// Where verified archive zips are kept between runs (resuming and skipping).
    public var cacheDirectory: String

    public init(symbols: [Symbol], datasets: [ArchiveDataset], from: CalendarDay, to: CalendarDay,
                outputDirectory: String, cacheDirectory: String? = nil) {
        self.symbols = symbols
        self.datasets = datasets
        self.from = from
        self.to = to
        self.outputDirectory = outputDirectory
        self.cacheDirectory = cacheDirectory ?? outputDirectory + "/.archive-cache"
    }
}

/// Where and how to download.
public struct DownloadSettings: Sendable {
    /// Binance's public data archive.
    public var archiveBaseURL = "https://data.binance.vision"
    /// Binance USDⓈ-M futures REST API (public endpoints only).
    public var restBaseURL = "https://fapi.binance.com"
    /// Files fetched at the same time.
    public var concurrency = 4
    public var connectTimeout: Duration = .seconds(10)
    /// A server that sends nothing for this long is given up on for that attempt.
    public var readTimeout: Duration = .seconds(30)
    public var retry = RetryPolicy()
    /// Days back from today for which a missing daily file is taken from REST instead.
    public var restFallbackDays: Int64 = 3

    public init() {}
}

/// How far a download has got (for the progress bar).
public struct DownloadProgress: Sendable, Hashable {
    public var piecesDone: Int
    public var piecesTotal: Int
    public var downloadedBytes: Int64
    public var lastPiece: String
}
