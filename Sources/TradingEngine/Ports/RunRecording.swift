import TradingModel

/// A finished run as one unit, for `TradeStore.recordRun`: the run, then its records in the order
/// they are written (decisions, the runtime's operations in event order, fills, trades, alerts,
/// equity samples), then its finish time and summary.
///
/// The `runID` of every record is ignored: the store writes the id it gives the run. The run's
/// own `id`, `finishedAt` and `summaryJSON` are ignored too (`finishedAt`/`summaryJSON` below
/// are what the finished run holds).
public struct RunRecording: Sendable {
    /// A write that happens in event order between the appends: an order's new state, an exit
    /// state saved or deleted, a risk event.
    public enum Operation: Sendable, Hashable {
        case order(OrderEventRecord)
        case saveExitState(ExitStateRecord)
        case deleteExitState(positionKey: String)
        case riskEvent(RiskEventRecord)
    }

    public var run: RunRecord
    public var finishedAt: Timestamp
    public var summaryJSON: String
    public var decisions: [DecisionRecord]
    public var operations: [Operation]
    public var fills: [FillRecord]
    public var trades: [TradeRecord]
    public var alerts: [AlertRecord]
    public var equity: [EquitySnapshotRecord]

    public init(run: RunRecord, finishedAt: Timestamp, summaryJSON: String, decisions: [DecisionRecord] = [],
                operations: [Operation] = [], fills: [FillRecord] = [], trades: [TradeRecord] = [], alerts: [AlertRecord] = [],
                equity: [EquitySnapshotRecord] = []) {
        self.run = run
        self.finishedAt = finishedAt
        self.summaryJSON = summaryJSON
        self.decisions = decisions
        self.operations = operations
        self.fills = fills
        self.trades = trades
        self.alerts = alerts
        self.equity = equity
    }
}
