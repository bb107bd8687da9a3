import TradingEngine
import TradingModel

/// One input of the alert rules (`AlertRules.on`).
public enum AlertRuleInput: Sendable, Hashable {
    /// The session after a runtime input.
    case snapshot(MonitorSnapshot)
    /// An alert the runtime raised (watchdog, exit owner, reconciliation, model, venue …).
    case runtimeAlert(Alert)
    /// A tick of the alert service's own timer: time-based rules, the digest, the heartbeat.
    case timer(Timestamp)
    /// The process started trading (`detail`: mode, symbols).
    case started(time: Timestamp, detail: String)
    /// The process is stopping (`detail`: why, what stays open).
    case stopping(time: Timestamp, detail: String)
    /// A notifier gave up on a message (after its retries) or dropped one.
    case deliveryFailed(channel: String, detail: String, time: Timestamp)
    /// A notifier delivered again after a failure.
    case deliveryRecovered(channel: String, time: Timestamp)
}
