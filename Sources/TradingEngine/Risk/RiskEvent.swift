import TradingModel

/// Input to the `RiskEngine`.
public enum RiskEvent: Sendable, Hashable {
    /// Mark-to-market equity (wallet balance + unrealized PnL) at `time`. The first update of a
    /// UTC day sets that day's starting equity; the runtime sends one on every equity change
    /// (the validator also sends `context.equity` on each evaluation).
    case equity(Money, time: Timestamp)
    /// A position closed with its net PnL (for the day's realized total in records).
    case positionClosed(symbol: Symbol, reason: ExitReason, netPnL: Money, time: Timestamp)
    /// A person halts new entries.
    case halt(by: String, reason: String, time: Timestamp)
    /// A person puts the engine in REDUCING.
    case reduce(by: String, reason: String, time: Timestamp)
    /// A person resumes trading (ACTIVE). Accepts today's loss so far: the daily-loss baseline
    /// restarts from the current equity.
    case resume(by: String, reason: String, time: Timestamp)
}

/// Output of the `RiskEngine`, performed by the runtime.
public enum RiskAction: Sendable, Hashable {
    /// Store this record (the runtime sets `runID`). Emitted on every transition.
    case record(RiskEventRecord)
    /// Close every open position with reason `.riskFlatten` (only when `flattenOnHalt`).
    case flattenAll(reason: ExitReason, time: Timestamp)
    /// Tell a person.
    case alert(Alert)
}
