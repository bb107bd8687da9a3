import TradingEngine
import TradingModel
import CoreMetrics

/// What the live runtime records and tells: the store's writes (a failure halts entries), the
/// alerts (recorded, then handed to the `Alerting` port) and the run's halt.
extension LiveRuntime {
    /// Stops all entries for the rest of the run (positions stay protected) and tells a person.
    func halt(_ reason: String) {
        guard haltReason == nil else { return }
        haltReason = reason
        raise(Alert(severity: .critical, kind: "runtime.halted", message: "trading halted, no new entries: \(reason)", symbol: nil, time: now))
        record { try store.recordRiskEvent(RiskEventRecord(runID: runID, state: .halted, cause: "runtime", detail: reason, time: now)) }
    }

    /// Records and delivers an alert. Delivery is the port's concern; it never stops the loop.
    func raise(_ alert: Alert) {
        metrics.alert(alert)
        alerts.append(alert)
        undelivered.append(alert)
        record { try store.recordAlert(AlertRecord(runID: runID, alert: alert)) }
    }

    /// Hands queued alerts to the `Alerting` port (at the end of every input, in order).
    func deliverAlerts() async {
        while !undelivered.isEmpty {
            let batch = undelivered
            undelivered.removeAll()
            for alert in batch { await alerting.send(alert) }
        }
    }

    /// A store write; a failure halts entries (what is not recorded must not be traded on).
    func record(_ write: () throws -> Void) {
        do { try write() } catch {
            if haltReason == nil {
                haltReason = "the trade store failed: \(error)"
                let alert = Alert(severity: .critical, kind: "runtime.store_failed", message: "trade store write failed (\(error)); no new entries",
                                  symbol: nil, time: now)
                metrics.alert(alert)
                alerts.append(alert)
                undelivered.append(alert)
            }
        }
    }

    /// An order's new state in the drivers' vocabulary (`OrderRecordStatus`), at `now`.
    func recordOrder(_ order: OrderRequest, status: OrderRecordStatus, detail: String) {
        record { try store.recordOrder(OrderEventRecord(runID: runID, request: order, status: status, detail: detail, time: now)) }
    }

    /// An order's state as the venue answered it (`NEW`, `PARTIALLY_FILLED`, …), recorded as
    /// the venue's word, at `now`.
    func recordOrder(_ order: OrderRequest, venueStatus: OrderStatus, detail: String) {
        record { try store.recordOrder(OrderEventRecord(runID: runID, request: order, status: venueStatus.rawValue, detail: detail, time: now)) }
    }

    func recordReport(_ event: ExecutionEvent) {
        switch event {
        case .filled(let fill):
            metrics.fills.increment()
            record { try store.recordFill(FillRecord(runID: runID, fill: fill)) }
        case .accepted(let id, _, _, _), .canceled(let id, _, _), .triggered(let id, _, _):
            // Reports of orders this session sent, at the time the runtime handled them.
            if let order = sentOrders[id], let row = OrderEventRecord(report: event, runID: runID, time: now, order: { _ in order }) {
                record { try store.recordOrder(row) }
            }
        default:
            break
        }
    }
}
