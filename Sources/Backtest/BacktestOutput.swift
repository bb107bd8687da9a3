import TradingEngine
import TradingModel

/// A signal the entry gate judged, with when.
public struct BacktestDecision: Sendable, Hashable {
    public var decision: EntryDecision
    public var time: Timestamp
}

/// Everything a replay produced: trades, decisions, alerts, venue activity, the equity curve.
public struct BacktestOutput: Sendable {
    public var trades: [ClosedTrade] = []
    public var decisions: [BacktestDecision] = []
    public var alerts: [Alert] = []
    /// Every fill and order rejection, in order (for the store and the report).
    public var fills: [Fill] = []
    public var rejections: [OrderRejection] = []
    public var exitStateSaves = 0
    public var bars: Int64 = 0
    /// Bars whose intrabar path was skipped because nothing could happen in them.
    public var quietBars: Int64 = 0
    public var finalEquity: Money = .zero
    public var walletBalance: Money = .zero
    public var equityCurve: EquityCurve?
    /// Set when the replay stopped early because a ledger could not book a value from the data;
    /// everything above then ends at that bar and must not be reported as a result.
    public var fault: BacktestFault?

    public init() {}

    mutating func record(_ event: ExecutionEvent) {
        switch event {
        case .filled(let fill): fills.append(fill)
        case .rejected(_, _, let rejection, _): rejections.append(rejection)
        default: break
        }
    }
}
