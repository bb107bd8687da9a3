/// What the console is attached to: a running session (`qt live`, `qt paper`) or only a store
/// (`qt dashboard --db FILE`, whose actions reach a session running on that store).
public struct SessionInfo: Sendable, Hashable, Codable {
    /// `live on testnet: ATOMUSDT`, `paper on the local venue: …`, `store qt.sqlite (no session in this process)`.
    public var label: String
    /// True when a trading session runs in this process.
    public var inProcess: Bool
    /// The session's run id, when it has one.
    public var runID: Int64?
    /// Session clock time, ISO 8601.
    public var time: String
    /// Equity (wallet plus unrealised PnL at the latest prices), USDT; nil when unknown.
    public var equity: String?
    public var walletBalance: String?

    public init(label: String, inProcess: Bool, runID: Int64?, time: String, equity: String?, walletBalance: String?) {
        self.label = label
        self.inProcess = inProcess
        self.runID = runID
        self.time = time
        self.equity = equity
        self.walletBalance = walletBalance
    }
}
