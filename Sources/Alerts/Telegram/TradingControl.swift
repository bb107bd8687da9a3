import TradingEngine
import TradingModel

/// Port: what the phone commands may do to the running session. The composition root
/// implements it over the session's store channel (close requests carried out by the exit
/// owners, the manual risk state) and the alert center's latest snapshot.
public protocol TradingControl: Sendable {
    /// `live on testnet`, `paper (simulated execution)`: how the session is described.
    var sessionLabel: String { get }
    /// The session after its latest input; nil before the first.
    func snapshot() async -> MonitorSnapshot?
    /// Closes `symbol` (nil: every open position) through the exit owners, reduce-only, and
    /// returns what happened (done, or failed with the reason).
    func close(_ symbol: Symbol?, requestedBy: String) async -> String
    /// Records a manual halt (no new entries; positions keep their exits); returns the outcome.
    func halt(reason: String, by: String) async -> String
    /// Records a manual resume; returns the outcome.
    func resume(reason: String, by: String) async -> String
    /// The session's most recent alerts, oldest first; throws when they cannot be read (the
    /// reply says so instead of "no alerts").
    func recentAlerts(limit: Int) async throws -> [Alert]
}
