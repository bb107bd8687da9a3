/// The chosen configuration's out-of-sample signals replayed through the exit engine that will
/// trade them (`[exit]`: break-even, profit lock, harvest ladder, backstop) by the backtest
/// kernel, beside the single-barrier outcome the labels assume. Returns are net PnL (after fees,
/// slippage and, when the run has it, funding) divided by the entry notional.
public struct ExitEngineComparison: Sendable, Hashable, Codable {
    /// The configuration file whose `[exit]`, `[fees]` and `[backtest]` the replay used.
    public var configuration: String
    public var signalsReplayed: Int
    public var trades: Int
    public var wins: Int
    public var expectancy: Double?
    /// 95% day-block bootstrap interval of the expectancy over the same days as the barrier
    /// figures (the pooled test windows); nil without trades or without a bootstrap.
    public var interval: BootstrapInterval?
    public var totalReturn: Double
    public var profitFactor: Double?
    public var long: SideFigures
    public var short: SideFigures
    /// Exit reasons with their counts (stop, take profit, break-even, …).
    public var exitReasons: [String: Int]

    public init(configuration: String, signalsReplayed: Int, trades: Int, wins: Int, expectancy: Double?, totalReturn: Double,
                profitFactor: Double?, long: SideFigures, short: SideFigures, exitReasons: [String: Int], interval: BootstrapInterval? = nil) {
        self.configuration = configuration
        self.signalsReplayed = signalsReplayed
        self.trades = trades
        self.wins = wins
        self.expectancy = expectancy
        self.totalReturn = totalReturn
        self.profitFactor = profitFactor
        self.long = long
        self.short = short
        self.exitReasons = exitReasons
        self.interval = interval
    }
}
