import TradingEngine
import TradingModel

/// The watchdog's actions in the live runtime: a venue position without an owner is checked
/// against the venue first; force-closes, alerts and incidents otherwise.
extension LiveRuntime {
    /// Performs the watchdog's actions. A venue position it reports without an exit owner
    /// (`positionWithoutOwner`) is first checked against the venue: a reconciliation reads the
    /// positions and adopts it (exit owner, backstop first) or closes it, and refreshes the
    /// watchdog's view (a stale report of a position that is already flat ends there). Only if the
    /// venue cannot be read are the watchdog's force-close, alert and incident performed (fail
    /// closed; entries stay blocked until a reconciliation succeeds).
    func performWatchdog(_ watchdogActions: [Supervisor.Action]) async {
        var watchdogActions = watchdogActions
        let orphans = watchdogActions.compactMap { action -> Incident? in
            if case .incident(let incident) = action, incident.kind == .positionWithoutOwner { incident } else { nil }
        }
        if !orphans.isEmpty {
            for incident in orphans {
                raise(Alert(severity: .warning, kind: "watchdog.venue_position_check",
                            message: "\(incident.symbol): \(incident.detail); reconciling with the venue (adopt or close)",
                            symbol: incident.symbol, time: now))
            }
            do throws(LiveRuntimeError) {
                if lanes != nil {
                    // The reads go off the loop; the force-close waits for them unless the venue
                    // could not be read lately (then it goes out now: fail closed).
                    if let failed = sync.reconcileFailedAt, now.since(failed) < settings.watchdog.forceCloseRetryInterval * 6 {
                        throw LiveRuntimeError("the venue could not be read lately")
                    }
                    requestReconcile("the watchdog saw a venue position without an owner")
                } else {
                    try await reconcile()
                }
                let ids = Set(orphans.map(\.forceCloseOrderID))
                watchdogActions.removeAll { action in
                    switch action {
                    case .forceClose(let order, _): ids.contains(order.clientOrderID)
                    case .incident(let incident): incident.kind == .positionWithoutOwner
                    case .alert(let alert): alert.kind == .watchdog(.positionWithoutOwner)
                    }
                }
            } catch {
                // The venue could not be read: the watchdog's force-close goes out as it decided.
            }
        }
        for action in watchdogActions {
            switch action {
            case .alert(let alert):
                raise(alert)
            case .forceClose(let order, _):
                await submit(order)
            case .incident(let incident):
                record { try store.recordRiskEvent(RiskEventRecord(incident: incident, runID: runID)) }
            }
        }
        await pump()
    }
}
