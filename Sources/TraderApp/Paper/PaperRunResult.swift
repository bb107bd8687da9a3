import TradingEngine
import TradingModel

/// What a paper run produced.
public struct PaperRunResult: Sendable {
    public var runID: Int64
    public var symbols: [Symbol]
    public var trades: [ClosedTrade]
    public var alerts: [Alert]
    public var walletBalance: Money
    /// Lines about the run for the terminal (the store's manual halt, which refuses every entry).
    public var notes: [String] = []
}
