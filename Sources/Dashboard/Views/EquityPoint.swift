/// One equity sample of a run: equity (wallet plus unrealised PnL) and drawdown from its peak.
public struct EquityPoint: Sendable, Hashable, Codable {
    public var time: String
    /// Epoch milliseconds of `time` (the chart's x axis).
    public var timeMilliseconds: Int64
    public var equity: String
    /// ≤ 0: equity minus the running peak.
    public var drawdown: String

    public init(time: String, timeMilliseconds: Int64, equity: String, drawdown: String) {
        self.time = time
        self.timeMilliseconds = timeMilliseconds
        self.equity = equity
        self.drawdown = drawdown
    }
}
