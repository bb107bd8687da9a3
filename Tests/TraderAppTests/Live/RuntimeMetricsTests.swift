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
        try await harness.runtime.reconcile()
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
        try await harness.runtime.reconcile()
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
        try await harness.runtime.reconcile()
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

    @Test("qt_unprotected_positions counts a position with no exit owner, no stop, or an executor without a resting backstop; 0 when all are protected")
    func unprotectedPositionsAreCounted() {
        let registry = InMemoryMetrics()
        let observer = DashboardObserver(priceSource: .markPrice, clock: ManualClock(LiveHarness.start), factory: registry)
        let position = Position(symbol: "ATOMUSDT", side: .short, quantity: Quantity("446.03")!, entryPrice: Price("2.224")!, leverage: 2,
                                isolatedMargin: Money("496")!, openedAt: LiveHarness.start)
        func view(executor: String?, stop: String?, backstop: String?) -> PositionExitView {
            var view = PositionExitView(position: position, executor: executor, stopPrice: stop.flatMap(Price.init), targetPrices: [],
                                        backstopPrice: backstop.flatMap(Price.init))
            view.reportsStatus = executor == "exit-executor"
            return view
        }
        let protected = view(executor: "exit-executor", stop: "2.250", backstop: "2.256")
        let cases: [([PositionExitView], String)] = [
            ([protected], "0.0"),
            ([protected, view(executor: "exit-executor", stop: "2.250", backstop: nil)], "1.0"),
            ([view(executor: nil, stop: nil, backstop: nil), view(executor: "fixed-bracket-exit", stop: nil, backstop: nil)], "2.0"),
            ([view(executor: "fixed-bracket-exit", stop: "2.250", backstop: nil)], "0.0"),
        ]
        for (positions, expected) in cases {
            observer.observe(.timer(LiveHarness.start), state: RuntimeState(time: LiveHarness.start, trades: [], positions: positions))
            let counts = Self.counts(registry)
            #expect(counts["qt_open_positions"] == "\(positions.count).0")
            #expect(counts["qt_unprotected_positions"] == expected, "\(positions.map { ($0.executor, $0.stopPrice, $0.backstopPrice) })")
        }
    }
}
