import TradingModel

/// What the console's buttons and the API's actions do. `TraderApp` implements it over the trade
/// store's command channel, the one `qt close`, `qt risk halt|resume` and the Telegram commands
/// use: a close becomes a close request that the running session's exit owner carries out
/// (reduce-only), a halt or resume a manual risk event the session follows at its next tick.
public protocol DashboardControl: Sendable {
    /// Asks the session to close `symbol` (nil: every open position); waits up to `wait` for the
    /// outcome (`.zero`: answers `pending` at once with the request id).
    func close(symbol: Symbol?, by actor: String, wait: Duration) async -> ActionOutcome
    func halt(reason: String, by actor: String) async -> ActionOutcome
    func resume(reason: String, by actor: String) async -> ActionOutcome
    /// The state of an earlier close request; nil when there is no such request.
    func closeRequest(id: Int64) async throws(DashboardError) -> ActionOutcome?
    /// Records who did what (actions, refused and throttled logins) where `qt alerts history` shows it.
    func record(_ entry: AuditEntry)
}

/// One line of the console's audit trail.
public struct AuditEntry: Sendable, Hashable {
    /// Who (`admin from 127.0.0.1`, `API token from 10.0.0.5`, `login from 127.0.0.1`).
    public var actor: String
    /// What was asked (`close ATOMUSDT`, `halt: news`, `login`).
    public var text: String
    /// False for refused logins.
    public var authorized: Bool
    /// What came of it (`close request 3 done: …`, `refused: wrong password`).
    public var outcome: String

    public init(actor: String, text: String, authorized: Bool, outcome: String) {
        self.actor = actor
        self.text = text
        self.authorized = authorized
        self.outcome = outcome
    }
}
