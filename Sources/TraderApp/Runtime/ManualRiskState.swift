import TradingEngine
import TradingModel

/// The manual risk state kept in the store by `qt risk halt|resume`: `RiskEventRecord`s with
/// cause `manual` and no run id (they apply to the account, not to one run). A HALTED store
/// blocks every new entry of the next run that uses it (`TradingWiring`: backtest, paper, live).
public enum ManualRiskState {
    /// The latest manual record (nil: never set, i.e. active).
    public static func latest(in store: any TradeStore) throws -> RiskEventRecord? {
        try store.riskEvents(runID: nil).last { $0.runID == nil && $0.cause == "manual" }
    }

    /// True when the latest manual record is a halt.
    public static func isHalted(in store: any TradeStore) throws -> Bool {
        try latest(in: store)?.state == "halted"
    }

    /// Records a manual halt (`halted`) or resume (`resumed`) by `who` with `reason`.
    @discardableResult
    public static func record(halt: Bool, reason: String, who: String, time: Timestamp, store: any TradeStore) throws -> RiskEventRecord {
        let record = RiskEventRecord(runID: nil, state: halt ? "halted" : "resumed", cause: "manual", detail: "by \(who): \(reason)", time: time)
        try store.recordRiskEvent(record)
        return record
    }
}
