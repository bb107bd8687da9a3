import TradingEngine
import TradingModel

/// What a live session left behind.
public struct LiveRunResult: Sendable {
    public var runID: Int64
    public var trades: [ClosedTrade]
    public var openPositions: [Position]
    /// The runtime's wallet at the end (it starts from the account's USDT wallet).
    public var walletBalance: Money
    public var notes: [String]
}
