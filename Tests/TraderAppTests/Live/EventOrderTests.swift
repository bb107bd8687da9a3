import Testing
import TraderApp
import TradingEngine
import TradingModel

/// Event order does not matter: the venue's position report of a fill may come before the fill,
/// a fill may be reported twice; position reports detect divergence, they never book quantity.
@Suite("LiveRuntime: event order of the venue's reports")
struct EventOrderTests {
    @Test("Event order does not matter: a position report ahead of the owner's own take-profit fill is not counted as an outside resize and then again as a fill")
    func positionReportBeforeTakeProfitFill() async throws {
        let harness = try LiveHarness()
        harness.client.inject(.positionReportsFirst)
        try await harness.runtime.reconcile()
        await harness.closeSignalBar()
        await harness.mark("2.224", at: 60)
        let targets = try #require(await harness.runtime.state.positions.first?.targetPrices)
        let tp1 = try #require(targets.first)
        // TP1 harvests 30 % (133.80 of 446.03); its position report (−312.23) arrives first.
        await harness.mark("\(tp1)", at: 61)
        let view = try #require(await harness.runtime.state.positions.first)
        #expect(view.position.quantity == Quantity("312.23")!)
        let status = try #require(await harness.runtime.state.positions.first)
        #expect(status.backstopPrice != nil, "the backstop stays while 312.23 is open")
        #expect(harness.client.venuePositionList.first?.signedQuantity == Quantity("-312.23")!)
        let kinds = await harness.runtime.alerts.map(\.kind)
        #expect(!kinds.contains("exit.position_resized") && !kinds.contains("exit.position_closed_outside"))
        // The rest stops out: one trade of 446.03, nothing left open, the backstop cancelled only then.
        await harness.mark("2.300", at: 62)
        let trade = try #require(await harness.runtime.trades.first)
        #expect(trade.quantity == Quantity("446.03")!)
        let open = await harness.runtime.openPositions
        #expect(harness.client.venuePositionList.isEmpty && open.isEmpty)
        // Reports and fills agree: no divergence is left to reconcile.
        harness.clock.set(LiveHarness.time(70))
        await harness.runtime.handle(.timer(LiveHarness.time(70)))
        #expect(!(await harness.runtime.alerts.map(\.kind)).contains("runtime.position_diverged"))
    }

    @Test("Event order does not matter: a fill reported twice (same venue trade id) is booked once")
    func duplicateFillBookedOnce() async throws {
        let harness = try LiveHarness()
        try await harness.runtime.reconcile()
        await harness.closeSignalBar()
        await harness.mark("2.224", at: 60)
        let fills = try harness.store.fills(runID: harness.runID).map(\.fill)
        let entry = try #require(fills.first)
        await harness.runtime.handle(.execution(.filled(entry)))
        #expect(try harness.store.fills(runID: harness.runID).count == 1)
        #expect(await harness.runtime.openPositions.map(\.quantity) == [Quantity("446.03")!])
    }

    @Test("A position report that stays different from the booked position is reconciled after the grace, not booked")
    func lastingDivergenceIsReconciled() async throws {
        let harness = try LiveHarness()
        try await harness.runtime.reconcile()
        await harness.closeSignalBar()
        await harness.mark("2.224", at: 60)
        // The venue reports a smaller position; no fill explains it (yet).
        harness.clock.set(LiveHarness.time(61))
        await harness.runtime.handle(.execution(.positionChanged(symbol: "ATOMUSDT", signedQuantity: Quantity("-300")!, time: LiveHarness.time(61))))
        #expect(await harness.runtime.openPositions.map(\.quantity) == [Quantity("446.03")!])
        harness.clock.set(LiveHarness.time(62))
        await harness.runtime.handle(.timer(LiveHarness.time(62)))
        #expect(!(await harness.runtime.alerts.map(\.kind)).contains("runtime.position_diverged"))
        // The venue still holds 446.03: after the grace the reconciliation finds no difference.
        harness.clock.set(LiveHarness.time(65))
        await harness.runtime.handle(.timer(LiveHarness.time(65)))
        let kinds = await harness.runtime.alerts.map(\.kind)
        #expect(kinds.contains("runtime.position_diverged") && kinds.last == "reconcile.done")
        #expect(await harness.runtime.openPositions.map(\.quantity) == [Quantity("446.03")!])
        #expect(await harness.runtime.hasOwner("ATOMUSDT"))
    }

    @Test("A position opened at the venue whose fill report was lost is adopted once its position report has diverged for the grace")
    func reportOnlyPositionIsAdopted() async throws {
        let harness = try LiveHarness()
        try await harness.runtime.reconcile()
        let manual = PositionSnapshot(symbol: "ATOMUSDT", signedQuantity: Quantity(units: -100), entryPrice: Price("2.224")!, leverage: 5,
                                      isolatedMargin: Money("44.48")!, liquidationPrice: nil)
        harness.client.seed(positions: [manual], orders: [])
        harness.clock.set(LiveHarness.time(10))
        await harness.runtime.handle(.execution(.positionChanged(symbol: "ATOMUSDT", signedQuantity: Quantity(units: -100), time: LiveHarness.time(10))))
        // No entry on top of a position the bot cannot explain.
        await harness.closeSignalBar()
        await harness.mark("2.224", at: 61)
        #expect(harness.client.submittedOrders.isEmpty)
        #expect(try harness.store.decisions(runID: harness.runID).first?.reasons.first?.contains("differs from the venue") == true)
        harness.clock.set(LiveHarness.time(62))
        await harness.runtime.handle(.timer(LiveHarness.time(62)))
        #expect(await harness.runtime.hasOwner("ATOMUSDT"))
        #expect(harness.client.submittedOrders.map(\.type) == [.stopMarket])
    }
}
