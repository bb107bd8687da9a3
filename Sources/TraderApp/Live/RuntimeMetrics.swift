import CoreMetrics
import TradingEngine
import TradingModel

/// The real-time runtime's swift-metrics counters (`qt paper` and `qt live` print them at the
/// end; the process's `MetricsSystem` factory is `AppMetrics.registry`, bootstrapped by `qt`).
/// Counting never changes what the runtime does.
public struct RuntimeMetrics: Sendable {
    let priceEvents: Counter
    let bars: Counter
    let entriesSubmitted: Counter
    let exitsSubmitted: Counter
    let ordersRejected: Counter
    let ordersUnknown: Counter
    let fills: Counter
    let decisionsApproved: Counter
    let decisionsRejected: Counter
    let entriesBlocked: Counter
    let tradesClosed: Counter
    let alertsInfo: Counter
    let alertsWarning: Counter
    let alertsCritical: Counter

    /// Counter labels are stable names, documented in docs/LIVE.md.
    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        func counter(_ label: String, _ dimensions: [(String, String)] = []) -> Counter {
            Counter(label: label, dimensions: dimensions, factory: factory)
        }
        priceEvents = counter("qt_runtime_price_events_total")
        bars = counter("qt_runtime_bars_total")
        entriesSubmitted = counter("qt_runtime_orders_submitted_total", [("kind", "entry")])
        exitsSubmitted = counter("qt_runtime_orders_submitted_total", [("kind", "exit")])
        ordersRejected = counter("qt_runtime_orders_rejected_total")
        ordersUnknown = counter("qt_runtime_orders_unknown_status_total")
        fills = counter("qt_runtime_fills_total")
        decisionsApproved = counter("qt_runtime_decisions_total", [("result", "approved")])
        decisionsRejected = counter("qt_runtime_decisions_total", [("result", "rejected")])
        entriesBlocked = counter("qt_runtime_entries_blocked_total")
        tradesClosed = counter("qt_runtime_trades_closed_total")
        alertsInfo = counter("qt_runtime_alerts_total", [("severity", "info")])
        alertsWarning = counter("qt_runtime_alerts_total", [("severity", "warning")])
        alertsCritical = counter("qt_runtime_alerts_total", [("severity", "critical")])
    }

    func alert(_ alert: Alert) {
        switch alert.severity {
        case .info: alertsInfo.increment()
        case .warning: alertsWarning.increment()
        case .critical: alertsCritical.increment()
        }
    }

    func decision(_ decision: EntryDecision) {
        (decision.isApproved ? decisionsApproved : decisionsRejected).increment()
    }
}
