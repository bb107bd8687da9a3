import Testing
import TraderApp
import TradingEngine
import TradingModel

/// Unknown outcomes stay unknown until proven: "never placed" only after a window and a
/// reconciliation; any failure to resolve keeps the order unknown and re-queries on the timer.
@Suite("LiveRuntime: unknown order outcomes")
struct UnknownOutcomeTests {
    static func tick(_ harness: LiveHarness, at seconds: Int64) async {
        harness.clock.set(LiveHarness.time(seconds))
        await harness.runtime.handle(.timer(LiveHarness.time(seconds)))
    }

    @Test("Unknown outcomes stay unknown until proven: an order the venue does not know is concluded 'never placed' only after the window and a reconciliation")
    func notFoundNeedsWindowAndReconciliation() async throws {
        let harness = try LiveHarness()
        harness.client.inject(.entryUnknownNotPlaced)
        try await harness.runtime.reconcile()
        await harness.closeSignalBar()
        await harness.mark("2.224", at: 60)
        let entry = try #require(harness.client.submittedOrders.first)
        #expect(harness.client.queriedIDs == [entry.clientOrderID])
        let positionReads = { harness.client.queriedIDs.count }
        // Inside the window: re-queried on each tick, still unknown, no reconciliation yet.
        await Self.tick(harness, at: 65)
        #expect(positionReads() == 2)
        #expect(try harness.store.orderHistory(entry.clientOrderID).last?.status == "UNKNOWN")
        #expect(!(await harness.runtime.alerts.map(\.kind)).contains("kernel.entry_rejected"))
        // The window passed: the next answer asks for a reconciliation; only after it is "never placed" concluded.
        await Self.tick(harness, at: 71)
        #expect(try harness.store.orderHistory(entry.clientOrderID).last?.status == "UNKNOWN")
        #expect((await harness.runtime.alerts.map(\.kind)).last == "reconcile.done")
        await Self.tick(harness, at: 72)
        #expect(try harness.store.orderHistory(entry.clientOrderID).last?.status == "NOT_FOUND")
        #expect((await harness.runtime.alerts.map(\.kind)).contains("kernel.entry_rejected"))
        #expect(harness.client.submittedOrders.count == 1, "never resent")
    }

    @Test("Unknown outcomes stay unknown until proven: a rate-limited status query keeps the order unknown (entries of the symbol blocked) and re-queries on the timer")
    func rateLimitedQueryKeepsItUnknown() async throws {
        let harness = try LiveHarness()
        harness.client.inject(.unknownStatusOnEntry)
        harness.client.inject(.queriesRateLimited)
        try await harness.runtime.reconcile()
        await harness.closeSignalBar()
        await harness.mark("2.224", at: 60)
        let entry = try #require(harness.client.submittedOrders.first)
        for second in Int64(61)...75 { await Self.tick(harness, at: second) }
        let statuses = try harness.store.orderHistory(entry.clientOrderID).map(\.status)
        #expect(statuses.contains("UNKNOWN") && !statuses.contains("NOT_FOUND") && !statuses.contains("FILLED"))
        #expect(harness.client.queriedIDs.count == 16, "one query at once, then one per tick")
        harness.client.clear(.queriesRateLimited)
        await Self.tick(harness, at: 76)
        #expect(try harness.store.orderHistory(entry.clientOrderID).last?.status == "FILLED")
        #expect(harness.client.submittedOrders.filter { !$0.reduceOnly && !$0.closePosition }.count == 1, "never resent")
    }

    @Test("A fill the kernel did not ask for never crashes the bot: an entry concluded 'never placed' that fills late is adopted and protected (one owner, one backstop, no second entry)")
    func neverPlacedEntryFillsLate() async throws {
        let harness = try LiveHarness()
        harness.client.inject(.entryUnknownNotPlaced)
        try await harness.runtime.reconcile()
        await harness.closeSignalBar()
        await harness.mark("2.224", at: 60)
        let entry = try #require(harness.client.submittedOrders.first)
        for second in Int64(65)...72 { await Self.tick(harness, at: second) }
        #expect(try harness.store.orderHistory(entry.clientOrderID).last?.status == "NOT_FOUND")
        #expect(await harness.runtime.openPositions.isEmpty)
        // The venue executes it after all (a matching engine backlog): position and fill report arrive late.
        let late = PositionSnapshot(symbol: "ATOMUSDT", signedQuantity: Quantity("-446.03")!, entryPrice: Price("2.224")!, leverage: 2,
                                    isolatedMargin: Money("496.0")!, liquidationPrice: nil)
        harness.client.seed(positions: [late], orders: [])
        harness.clock.set(LiveHarness.time(73))
        let fill = Fill(clientOrderID: entry.clientOrderID, symbol: "ATOMUSDT", side: .sell, price: Price("2.224")!, quantity: Quantity("446.03")!,
                        fee: Money("0.49594")!, liquidity: .taker, time: LiveHarness.time(73), venueTradeID: 9001)
        await harness.runtime.handle(.execution(.filled(fill)))
        await harness.runtime.handle(.execution(.positionChanged(symbol: "ATOMUSDT", signedQuantity: Quantity("-446.03")!, time: LiveHarness.time(73))))
        for second in Int64(74)...80 { await Self.tick(harness, at: second) }
        #expect(await harness.runtime.hasOwner("ATOMUSDT"))
        #expect(await harness.runtime.openPositions.map(\.quantity) == [Quantity("446.03")!])
        #expect(await harness.runtime.state.positions.first?.backstopPrice != nil, "protected by an exchange backstop")
        #expect(harness.client.submittedOrders.filter { !$0.reduceOnly && !$0.closePosition }.count == 1, "no second entry")
    }
}
