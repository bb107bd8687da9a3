import TradingModel

/// What `TraderBuilder.build` builds: the same engine on historical, simulated or real execution.
public enum TraderMode: Sendable {
    /// `qt backtest`: the backtest engine on candle files, a run folder and the store's record.
    case backtest(BacktestRequest)
    /// `qt paper`: simulated execution on candle files, a venue's market streams or the local venue.
    case paper(PaperSource)
    /// `qt live`: the live runtime on a Binance(-compatible) venue.
    case live(LiveRequest)
}

/// The inputs of a backtest besides the configuration.
public struct BacktestRequest: Sendable {
    public var dataFiles: [String]
    /// The run folder (nil: `<backtest.runs_directory>/<next number>`).
    public var outputDirectory: String?
    /// False for `--no-store`: nothing is recorded; an existing store's manual halt still applies.
    public var recordsRun: Bool
    /// Signals to replay instead of the strategy's (`--signals FILE`).
    public var signalsFile: String?
    /// Called with (bars done, bars in all) every 65,536 bars and at the end.
    public var progress: (@Sendable (Int64, Int64) -> Void)?

    public init(dataFiles: [String], outputDirectory: String? = nil, recordsRun: Bool = true, signalsFile: String? = nil,
                progress: (@Sendable (Int64, Int64) -> Void)? = nil) {
        self.dataFiles = dataFiles
        self.outputDirectory = outputDirectory
        self.recordsRun = recordsRun
        self.signalsFile = signalsFile
        self.progress = progress
    }
}

/// Where a paper session's market data comes from.
public enum PaperSource: Sendable {
    /// Candle files, walked by the backtest engine (the same trades as `qt backtest`).
    case files([String])
    /// A Binance(-compatible) venue's market streams at `websocketURL`; the warm-up history from
    /// `restURL` (nil: the API host of the streams).
    case venue(websocketURL: String, restURL: String?, symbols: [Symbol])
    /// The local venue in-process replaying a one-minute kline file (its first `bars`).
    case localVenue(file: String, bars: Int?, pacing: LocalVenuePaper.Pacing)
}

/// The inputs of a live session besides the configuration.
public struct LiveRequest: Sendable {
    public var symbols: [Symbol]
    /// `--confirm-live`: real orders may be sent.
    public var confirmLive: Bool
    /// `--mainnet`: the file's `network = "mainnet"` is meant.
    public var mainnet: Bool

    public init(symbols: [Symbol], confirmLive: Bool, mainnet: Bool = false) {
        self.symbols = symbols
        self.confirmLive = confirmLive
        self.mainnet = mainnet
    }
}
