import Testing
import TraderApp
import TradingEngine
import TradingModel

/// The live watchdog watches the venue's positions between reconciliations (position reports on
/// the user-data stream): a position no exit owner reports is checked against the venue — adopted
/// or closed by a reconciliation — and force-closed by the watchdog only if the venue cannot be read.
/// (The runtime's own divergence check would reconcile too; its grace is set beyond these tests'
/// span so the watchdog's path is what is tested.)
@Suite("Live watchdog: venue positions without an exit owner between reconciliations")
struct VenuePositionWatchTests {
    static func harness(watch: Bool = true) throws -> LiveHarness {
        try LiveHarness(watchVenuePositions: watch) { $0.divergenceGrace = .seconds(3600) }
    }

    static let manualShort = PositionSnapshot(symbol: "ATOMUSDT", signedQuantity: Quantity(units: -100), entryPrice: Price("2.224")!, leverage: 5,
                                              isolatedMargin: Money("44.48")!, liquidationPrice: nil)

    static func report(_ harness: LiveHarness, quantity: Int64, at seconds: Int64) async {
        harness.clock.set(LiveHarness.time(seconds))
        await harness.runtime.handle(.execution(.positionChanged(symbol: "ATOMUSDT", signedQuantity: Quantity(units: quantity),
                                                                 time: LiveHarness.time(seconds))))
    }

    static func tick(_ harness: LiveHarness, at seconds: Int64) async {
        harness.clock.set(LiveHarness.time(seconds))
        await harness.runtime.handle(.timer(LiveHarness.time(seconds)))
    }

    static func kinds(_ harness: LiveHarness) async -> [String] { await harness.runtime.alerts.map(\.kind.rawValue) }

    @Test("A position opened on the exchange mid-session is adopted after the grace (owner, backstop first), not closed blindly")
    func manualPositionIsAdopted() async throws {
        let harness = try Self.harness()
        try await harness.runtime.reconcile()
        harness.client.seed(positions: [Self.manualShort], orders: [])
        await Self.report(harness, quantity: -100, at: 10)
        await Self.tick(harness, at: 14)  // 4 s without an owner: within the 5 s grace
        #expect(harness.client.submittedOrders.isEmpty)
        #expect(!(await Self.kinds(harness)).contains("watchdog.venue_position_check"))
        await Self.tick(harness, at: 16)
        let sent = harness.client.submittedOrders
        #expect(sent.count == 1)
        #expect(sent.first?.type == .stopMarket && sent.first?.closePosition == true && sent.first?.side == .buy)
        #expect(await harness.runtime.hasOwner("ATOMUSDT"))
        let kinds = await Self.kinds(harness)
        #expect(kinds.contains("watchdog.venue_position_check") && kinds.contains("reconcile.adopted"))
        #expect(!kinds.contains("watchdog.position_without_owner"))
        #expect(await harness.runtime.reconciled)
        // Owned now: later ticks check nothing more.
        await Self.tick(harness, at: 30)
        #expect(harness.client.submittedOrders.count == 1)
        #expect((await Self.kinds(harness)).filter { $0 == "watchdog.venue_position_check" }.count == 1)
    }

    @Test("A stale report of a position that is already flat is cleared by the check: nothing is sent, nothing repeats")
    func staleReportIsCleared() async throws {
        let harness = try Self.harness()
        try await harness.runtime.reconcile()
        await Self.report(harness, quantity: -100, at: 10)  // the venue holds nothing
        await Self.tick(harness, at: 16)
        await Self.tick(harness, at: 30)
        #expect(harness.client.submittedOrders.isEmpty)
        #expect((await Self.kinds(harness)).filter { $0 == "watchdog.venue_position_check" }.count == 1)
        #expect(await harness.runtime.reconciled)
    }

    @Test("The venue cannot be read: the watchdog's reduce-only force-close goes out, CRITICAL, entries blocked")
    func unreadableVenueFallsBackToForceClose() async throws {
        let harness = try Self.harness()
        try await harness.runtime.reconcile()
        harness.client.seed(positions: [Self.manualShort], orders: [])
        await Self.report(harness, quantity: -100, at: 10)
        harness.client.inject(.positionsUnreadable)
        await Self.tick(harness, at: 16)
        let close = try #require(harness.client.submittedOrders.first)
        #expect(close.type == .market && close.reduceOnly && close.side == .buy && close.quantity == Quantity(units: 100))
        let alerts = await harness.runtime.alerts
        #expect(alerts.contains { $0.kind == "reconcile.failed" && $0.severity == .critical })
        #expect(alerts.contains { $0.kind == "watchdog.position_without_owner" && $0.severity == .critical })
        #expect(!(await harness.runtime.reconciled))
        let incidents = try harness.store.riskEvents(runID: harness.runID).filter { $0.state == "incident" }
        #expect(incidents.map(\.cause) == ["position_without_owner"])
    }

    @Test("Our own entry's position report (before its fill) triggers nothing: the owner reports the position")
    func ownEntryIsNotChecked() async throws {
        let harness = try Self.harness()
        // Binance may send ACCOUNT_UPDATE before the ORDER_TRADE_UPDATE of the fill.
        harness.client.inject(.positionReportsFirst)
        try await harness.runtime.reconcile()
        await harness.closeSignalBar()
        await Self.report(harness, quantity: 0, at: 60)
        await harness.mark("2.224", at: 60)
        await harness.mark("2.230", at: 66)
        await Self.tick(harness, at: 70)
        #expect(harness.client.submittedOrders.count == 2)  // entry + backstop
        #expect(!(await Self.kinds(harness)).contains("watchdog.venue_position_check"))
    }

    @Test("Off (owners that report no status): position reports are not watched")
    func offByDefault() async throws {
        let harness = try Self.harness(watch: false)
        try await harness.runtime.reconcile()
        harness.client.seed(positions: [Self.manualShort], orders: [])
        await Self.report(harness, quantity: -100, at: 10)
        await Self.tick(harness, at: 30)
        #expect(harness.client.submittedOrders.isEmpty)
        #expect(!(await Self.kinds(harness)).contains("watchdog.venue_position_check"))
    }
}
