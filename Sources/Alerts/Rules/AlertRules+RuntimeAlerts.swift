import TradingEngine
import TradingModel

/// Alerts the runtime raised: counted for the rejection rule, absorbed when a condition rule
/// covers them, otherwise forwarded at or above the configured severity, once per kind and
/// symbol per `repeatWindow` (repeats counted and mentioned with the next one).
extension AlertRules {
    /// Order rejections counted by the `orderRejections` rule.
    static let rejectionKinds: Set<AlertKind> = [.entryRejected, .exitOrderNotSent, .closeFailed, .leverageFailed, .backstopFailed]
    /// Forwarded only when info alerts are (routine, or frequent during a warm-up).
    static let routineKinds: Set<AlertKind> = [.entryBlocked, .warmUpComplete, .manualClose, .closeRequestDone]

    /// True when a condition rule reports this runtime alert's situation itself (once, then resolved).
    func isCoveredByCondition(_ kind: AlertKind) -> Bool {
        switch kind {
        case .manualHalt, .manualResume: settings.manualHalt
        case .marketDataSilent, .marketDataStale, .marketDataFresh, .marketStreamResync, .marketStreamInSync: settings.marketDataSilent
        case .venueStreamResync, .venueStreamInSync: settings.userDataSilent
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
        if alert.kind.family == .reconcile && !settings.reconciliationRepairs { return [] }
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
                             title: subject + Self.headline(alert.kind), lines: lines, fields: ["kind": alert.kind.rawValue], time: time)]
    }

    /// A short human title for a runtime alert kind (`watchdog.beyond_stop` → `watchdog force-close: beyond the stop`).
    static func headline(_ kind: AlertKind) -> String {
        switch kind {
        case .watchdog(.beyondStop): "watchdog force-close: price beyond the stop"
        case .watchdog(.missingBackstop): "watchdog force-close: no exchange backstop"
        case .watchdog(.executorSilent): "watchdog force-close: exit owner silent"
        case .watchdog(.positionWithoutOwner): "watchdog force-close: position without an exit owner"
        case .backstopFailed: "exchange backstop could not be placed"
        case .closeFailed: "close order failed"
        case .liquidated: "LIQUIDATED"
        case .halted: "trading halted"
        case .storeFailed: "trade store failed: entries halted"
        case .modelError, .missingFeatures: "model error: no signal"
        default: kind.rawValue
        }
    }
}
