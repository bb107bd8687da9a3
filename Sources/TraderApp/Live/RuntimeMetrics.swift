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
    /// `qt_orders_total{kind, result}`: every order handed to the venue by kind (`entry`, `exit`,
    /// `backstop`) and what became of the call (`accepted`, `rejected`, `unknown`).
    let orders: [String: Counter]
    /// `qt_order_rejections_total{reason}`: venue rejections by `OrderRejection.Reason`, and
    /// `not_sent` for orders the runtime refused itself (entries blocked, transient errors).
    let rejections: [String: Counter]
    /// `qt_price_event_to_order_seconds`: from the runtime taking a price event to handing the
    /// order it caused to the execution client (the stop's close, a target, a pending entry).
    let priceEventToOrder: Timer

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
        var orders: [String: Counter] = [:]
        for kind in ["entry", "exit", "backstop"] {
            for result in ["accepted", "rejected", "unknown"] {
                orders["\(kind)/\(result)"] = counter("qt_orders_total", [("kind", kind), ("result", result)])
            }
        }
        self.orders = orders
        var rejections: [String: Counter] = [:]
        for reason in ["min_notional", "precision", "reduce_only_rejected", "insufficient_margin", "would_immediately_trigger",
                       "duplicate_client_order_id", "other", "not_sent"] {
            rejections[reason] = counter("qt_order_rejections_total", [("reason", reason)])
        }
        self.rejections = rejections
        priceEventToOrder = Timer(label: "qt_price_event_to_order_seconds", dimensions: [], factory: factory)
    }

    /// The stopwatch of `priceEventToOrder` (monotonic; only measures, never decides).
    func startedAt() -> ContinuousClock.Instant { ContinuousClock.now }

    func order(_ order: OrderRequest, result: String) {
        let kind = order.closePosition ? "backstop" : order.reduceOnly ? "exit" : "entry"
        orders["\(kind)/\(result)"]?.increment()
    }

    func rejection(_ reason: OrderRejection.Reason?) {
        let key = switch reason {
        case nil: "not_sent"
        case .minNotional: "min_notional"
        case .precision: "precision"
        case .reduceOnlyRejected: "reduce_only_rejected"
        case .insufficientMargin: "insufficient_margin"
        case .wouldImmediatelyTrigger: "would_immediately_trigger"
        case .duplicateClientOrderID: "duplicate_client_order_id"
        case .other: "other"
        }
        rejections[key]?.increment()
    }

    /// Records the latency of an order caused by the price event that started at `start`.
    func orderSent(since start: ContinuousClock.Instant?) {
        guard let start else { return }
        let (seconds, attoseconds) = (ContinuousClock.now - start).components
        priceEventToOrder.recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
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
