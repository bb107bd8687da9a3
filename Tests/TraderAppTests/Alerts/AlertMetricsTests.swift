import Alerts
import Logging
import Testing
import TraderApp
import TradingEngine
import TradingModel

@Suite("Alert metrics: qt_alerts_total by rule and severity")
struct AlertMetricsTests {
    @Test("each dispatched rule alert counts under its rule and severity; test messages and notices are not alerts")
    func alertsAreCountedByRuleAndSeverity() {
        let registry = InMemoryMetrics()
        let dispatcher = AlertDispatcher(center: AlertCenter(rules: AlertRules()), queues: [], store: nil,
                                         logger: Logger(label: "alert-metrics-test", factory: { _ in SwiftLogNoOpLogHandler() }), metrics: registry)
        let time = Timestamp(milliseconds: 1_767_571_200_000)
        func message(_ category: NotificationRecord.Category, _ rule: String, _ severity: AlertSeverity) -> AlertMessage {
            AlertMessage(category: category, rule: rule, severity: severity, symbol: Symbol("ATOMUSDT"), title: rule, time: time)
        }
        dispatcher.dispatch([message(.alert, "stop_not_triggered", .critical), message(.alert, "stop_not_triggered", .critical),
                             message(.alert, "drawdown", .warning), message(.test, "test", .info)])
        let counts = Dictionary(uniqueKeysWithValues: registry.snapshot().map { ($0.label, $0.value) })
        #expect(counts["qt_alerts_total{rule=stop_not_triggered,severity=critical}"] == "2")
        #expect(counts["qt_alerts_total{rule=drawdown,severity=warning}"] == "1")
        #expect(counts["qt_alerts_total{rule=test,severity=info}"] == nil)
    }
}
