import TradingEngine
import TradingModel

/// Alerts the runtime raised: counted for the rejection rule, absorbed when a condition rule
/// covers them, otherwise forwarded at or above the configured severity, once per kind and
/// symbol per `repeatWindow` (repeats counted and mentioned with the next one).
extension AlertRules {
    /// Order rejections counted by the `orderRejections` rule.
    static let rejectionKinds: Set<String> = ["kernel.entry_rejected", "runtime.exit_order_not_sent", "exit.close_failed",
                                               "runtime.leverage_failed", "exit.backstop_failed"]
    /// Forwarded only when info alerts are (routine, or frequent during a warm-up).
    static let routineKinds: Set<String> = ["runtime.entry_blocked", "runtime.warm_up_complete", "runtime.manual_close",
                                            "runtime.close_request_done"]

    /// True when a condition rule reports this runtime alert's situation itself (once, then resolved).
    func isCoveredByCondition(_ kind: String) -> Bool {
        switch kind {
        case "runtime.manual_halt", "runtime.manual_resume": settings.manualHalt
        case "runtime.market_data_silent", "runtime.market_data_stale", "runtime.market_data_fresh", "runtime.market_stream_resync",
             "runtime.market_stream_in_sync": settings.marketDataSilent
        case "runtime.venue_stream_resync", "runtime.venue_stream_in_sync": settings.userDataSilent
        default: false
        }
    }

    mutating func onRuntimeAlert(_ alert: Alert) -> [AlertMessage] {
        let time = alert.time
        if Self.rejectionKinds.contains(alert.kind) {
            rejections.append(time)
            rejections.removeAll { time.since($0) >= settings.orderRejectionsWindow }
        }
        if isCoveredByCondition(alert.kind) { return [] }
        if alert.kind.hasPrefix("reconcile.") && !settings.reconciliationRepairs { return [] }
        let severity = Self.routineKinds.contains(alert.kind) ? AlertSeverity.info : alert.severity
        guard let minimum = settings.runtimeAlertsMinimum, severity >= minimum else { return [] }
        let key = "\(alert.kind)|\(alert.symbol?.name ?? "")"
        if let previous = repeats[key], time.since(previous.sentAt) < settings.repeatWindow {
            repeats[key] = (previous.sentAt, previous.suppressed + 1)
            return []
        }
        let suppressed = repeats[key]?.suppressed ?? 0
        repeats[key] = (time, 0)
        var lines = [AlertMessage.Line(nil, alert.message)]
        if suppressed > 0 { lines.append(AlertMessage.Line(nil, "(\(suppressed) more like it were not sent in the last \(AlertFormat.duration(settings.repeatWindow)))")) }
        let subject = alert.symbol.map { "\($0) " } ?? ""
        return [AlertMessage(category: .alert, rule: "runtime:\(alert.kind)", severity: alert.severity, symbol: alert.symbol,
                             title: subject + Self.headline(alert.kind), lines: lines, fields: ["kind": alert.kind], time: time)]
    }

    /// A short human title for a runtime alert kind (`watchdog.beyond_stop` → `watchdog force-close: beyond the stop`).
    static func headline(_ kind: String) -> String {
        switch kind {
        case "watchdog.beyond_stop": "watchdog force-close: price beyond the stop"
        case "watchdog.missing_backstop": "watchdog force-close: no exchange backstop"
        case "watchdog.executor_silent": "watchdog force-close: exit owner silent"
        case "watchdog.position_without_owner": "watchdog force-close: position without an exit owner"
        case "exit.backstop_failed": "exchange backstop could not be placed"
        case "exit.close_failed": "close order failed"
        case "exit.liquidated": "LIQUIDATED"
        case "runtime.halted": "trading halted"
        case "runtime.store_failed": "trade store failed: entries halted"
        case "ml.model_error", "ml.missing_features": "model error: no signal"
        default: kind
        }
    }
}
