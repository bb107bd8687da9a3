/// A run (backtest, paper, live) with its summary.
public struct RunRow: Sendable, Hashable, Codable {
    public var id: Int64
    /// `backtest`, `paper`, `live`.
    public var kind: String
    public var startedAt: String
    public var finishedAt: String?
    /// Strategy, gate, policy and data (`ema-cross/validator/exit-engine on live market data: ATOMUSDT`).
    public var detail: String
    public var configHash: String
    /// The run's summary as recorded (JSON text); nil while it runs.
    public var summary: String?
    /// Closed trades and their net PnL (USDT), counted from the store.
    public var trades: Int
    public var netPnl: String

    public init(id: Int64, kind: String, startedAt: String, finishedAt: String?, detail: String, configHash: String, summary: String?,
                trades: Int, netPnl: String) {
        self.id = id
        self.kind = kind
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.detail = detail
        self.configHash = configHash
        self.summary = summary
        self.trades = trades
        self.netPnl = netPnl
    }
}
