import TradingEngine
import TradingModel

/// The manual risk state kept in the store by `qt risk halt|resume`: `RiskEventRecord`s with
/// cause `manual` and no run id (they apply to the account, not to one run). A HALTED store
/// blocks every new entry of the next run that uses it (`TradingWiring`: backtest, paper, live).
///
/// Fail closed: the latest account-level record (no run id) decides. When its state or cause is
/// not a known value (`manual` × `halted`/`resumed`) the account counts as HALTED and `problem`
/// says why; no unknown value ever reads as "no halt". (Stores from schema v4 on cannot hold
/// such a record: a CHECK constraint refuses it.)
public enum ManualRiskState {
    /// What the store says: the latest account-level record (normalised to a halt when unknown)
    /// and, for an unknown record, the problem to report.
    public struct Reading: Sendable, Equatable {
        public var latest: RiskEventRecord?
        public var problem: String?
        public var isHalted: Bool { latest?.knownState == .halted }
    }

    /// Reads the manual state from `store`.
    public static func read(in store: any TradeStore) throws -> Reading {
        guard let record = try store.riskEvents(runID: nil).last(where: { $0.runID == nil }) else { return Reading() }
        if record.cause == "manual" && (record.knownState == .halted || record.knownState == .resumed) { return Reading(latest: record) }
        let stored = "state '\(DisplayText.escaped(record.state, limit: 30))', cause '\(DisplayText.escaped(record.cause, limit: 30))'"
        let problem = "the store's latest manual risk record (\(stored), \(record.time)) is not a known halt or resume; "
            + "treated as HALTED until a person resolves it"
        var halted = record
        halted.state = RiskEventState.halted.rawValue
        halted.cause = "manual"
        halted.detail = "unknown stored record (\(stored)): \(DisplayText.escaped(record.detail, limit: 80))"
        return Reading(latest: halted, problem: problem)
    }

    /// The latest manual record (nil: never set, i.e. active); an unknown one reads as a halt.
    public static func latest(in store: any TradeStore) throws -> RiskEventRecord? {
        try read(in: store).latest
    }

    /// True when the latest manual record is a halt (or is not a known value).
    public static func isHalted(in store: any TradeStore) throws -> Bool {
        try read(in: store).isHalted
    }

    /// Records a manual halt (`halted`) or resume (`resumed`) by `who` with `reason`.
    @discardableResult
    public static func record(halt: Bool, reason: String, who: String, time: Timestamp, store: any TradeStore) throws -> RiskEventRecord {
        let record = RiskEventRecord(runID: nil, state: halt ? RiskEventState.halted : .resumed, cause: "manual", detail: "by \(who): \(reason)", time: time)
        try store.recordRiskEvent(record)
        return record
    }
}
