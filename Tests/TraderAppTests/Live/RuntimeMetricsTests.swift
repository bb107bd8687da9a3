import Testing
import TraderApp
import TradingEngine
import TradingModel

@Suite("RuntimeMetrics: the live runtime counts what it does (swift-metrics)")
struct RuntimeMetricsTests {
    static func counts(_ registry: InMemoryMetrics) -> [String: String] {
        Dictionary(uniqueKeysWithValues: registry.snapshot().map { ($0.label, $0.value) })
    }

    @Test("The ATOMUSDT stop-out: 1 bar, 3 marks, 1 approved decision, entry + backstop + close sent, 2 fills, 1 trade")
    func atomStopOutIsCounted() async throws {
        let registry = InMemoryMetrics()
        let harness = try LiveHarness(metrics: RuntimeMetrics(factory: registry))
        try await harness.runtime.reconcile(hedgeMode: false)
        await harness.closeSignalBar()
        await harness.mark("2.224", at: 60)
        await harness.mark("2.240", at: 61)
        await harness.mark("2.2507", at: 62)
        let counts = Self.counts(registry)
        #expect(counts["qt_runtime_bars_total"] == "1")
        #expect(counts["qt_runtime_price_events_total"] == "3")
        #expect(counts["qt_runtime_decisions_total{result=approved}"] == "1")
        #expect(counts["qt_runtime_decisions_total{result=rejected}"] == nil)
        #expect(counts["qt_runtime_orders_submitted_total{kind=entry}"] == "1")
        // The backstop and the reduce-only close at the stop.
        #expect(counts["qt_runtime_orders_submitted_total{kind=exit}"] == "2")
        #expect(counts["qt_runtime_fills_total"] == "2")
        #expect(counts["qt_runtime_trades_closed_total"] == "1")
        let alerts = await harness.runtime.alerts
        let criticals = alerts.filter { $0.severity == .critical }.count
        #expect(counts["qt_runtime_alerts_total{severity=critical}"] == (criticals == 0 ? nil : String(criticals)))
    }

    @Test("A blocked entry (stale data) and its warning alert are counted; nothing is submitted")
    func blockedEntryIsCounted() async throws {
        let registry = InMemoryMetrics()
        let harness = try LiveHarness(metrics: RuntimeMetrics(factory: registry))
        try await harness.runtime.reconcile(hedgeMode: false)
        await harness.closeSignalBar()
        await harness.mark("2.224", at: 60, receivedAt: 70)
        let counts = Self.counts(registry)
        #expect(counts["qt_runtime_entries_blocked_total"] == "1")
        #expect(counts["qt_runtime_orders_submitted_total{kind=entry}"] == nil)
        let warnings = await harness.runtime.alerts.filter { $0.severity == .warning }.count
        #expect(warnings >= 2)  // stale data, entry blocked
        #expect(counts["qt_runtime_alerts_total{severity=warning}"] == String(warnings))
    }

    @Test("Rejections by reason: every backstop the venue rejects counts as qt_order_rejections_total{reason=other} and qt_orders_total{kind=backstop,result=rejected}")
    func rejectionsAreCountedByReason() async throws {
        let registry = InMemoryMetrics()
        let harness = try LiveHarness(metrics: RuntimeMetrics(factory: registry))
        harness.client.inject(.rejectBackstops)
        try await harness.runtime.reconcile(hedgeMode: false)
        await harness.closeSignalBar()
        await harness.mark("2.224", at: 60)
        let rejected = harness.client.submittedOrders.filter { $0.type == .stopMarket }.count
        #expect(rejected >= 1)
        let counts = Self.counts(registry)
        #expect(counts["qt_order_rejections_total{reason=other}"] == String(rejected))
        #expect(counts["qt_orders_total{kind=backstop,result=rejected}"] == String(rejected))
        #expect(counts["qt_order_rejections_total{reason=not_sent}"] == nil)
        #expect(counts["qt_orders_total{kind=entry,result=accepted}"] == "1")
    }
}
