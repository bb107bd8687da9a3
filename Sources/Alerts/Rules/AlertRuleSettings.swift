import TradingEngine

/// `[alerts]`: which rules run, their thresholds, de-duplication and the rate limit. Every rule
/// can be switched off; the defaults are what a trader running `qt live` on a server wants.
/// Percentages are display percent (`0.5` = 0.5%), never money.
public struct AlertRuleSettings: Sendable, Hashable {
    /// Which number the position-loss threshold is compared with.
    public enum LossMeasure: String, Sendable, Hashable, CaseIterable {
        /// The price change from entry against the position (`priceMovePct`).
        case priceMove = "price_move"
        /// The PnL over the initial margin (`roePct`, ≈ price move × leverage).
        case roe
    }

    /// A position losing at least `positionLossThresholdPct` (by `positionLossMeasure`).
    public var positionLoss = true
    public var positionLossThresholdPct = 0.5
    public var positionLossMeasure = LossMeasure.priceMove
    /// Price beyond the stop and the position still open (CRITICAL). When the exit owner has
    /// already started the close, the alert waits `stopCloseGrace` for the fill.
    public var stopNotTriggered = true
    public var stopCloseGrace: Duration = .seconds(2)
    /// At least `allPositionsLosingMinimum` positions open and every one of them losing.
    public var allPositionsLosing = true
    public var allPositionsLosingMinimum = 2
    /// Today's (UTC) realised plus unrealised loss beyond `dailyLossLimitPct` of the day's starting equity.
    public var dailyLoss = true
    public var dailyLossLimitPct = 2.0
    /// An open position whose owner reports no resting exchange backstop for this long.
    public var missingBackstop = true
    public var missingBackstopAfter: Duration = .seconds(5)
    /// An exit owner that processed no price for this long while prices of its symbol arrived.
    public var exitOwnerSilent = true
    public var exitOwnerSilentAfter: Duration = .seconds(10)
    /// No market event of a traded symbol (or no input handled at all) for this long, or the
    /// market streams resyncing for this long; judged on the alert service's own timer, so a
    /// stuck trading loop is noticed too.
    public var marketDataSilent = true
    public var marketDataSilentAfter: Duration = .seconds(30)
    /// The user-data (order) stream out of sync for this long.
    public var userDataSilent = true
    public var userDataSilentAfter: Duration = .seconds(60)
    /// `orderRejectionsCount` order rejections (venue refusals, exit orders not sent) within
    /// `orderRejectionsWindow`.
    public var orderRejections = true
    public var orderRejectionsCount = 3
    public var orderRejectionsWindow: Duration = .seconds(600)
    /// Reconciliation repairs (`reconcile.*`: adopted, closed unprotected, cancelled orders).
    public var reconciliationRepairs = true
    /// A manual halt in force (`qt risk halt`, `/halt`), resolved by the resume.
    public var manualHalt = true
    /// "Started" and "stopping" messages, so a silent process is noticed.
    public var lifecycle = true
    /// A "still running" message this often; nil: none (the default).
    public var heartbeatInterval: Duration?
    /// Alerts the runtime raises are forwarded at or above this severity; nil: none.
    public var runtimeAlertsMinimum: AlertSeverity? = .warning
    /// The same runtime alert (kind and symbol) is sent once per window; repeats are counted.
    public var repeatWindow: Duration = .seconds(600)
    /// Non-critical messages beyond this rate wait for one digest message.
    public var messagesPerMinute = 20
    /// Messages that may go out at once before the rate applies.
    public var burst = 5

    public init() {}
}
