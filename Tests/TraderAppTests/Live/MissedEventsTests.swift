import Testing
import TraderApp
import TradingEngine
import TradingModel

/// Missed user-data events leave no phantom positions: after any resync the booked positions are
/// compared with the venue's, the missing executions booked from the venue's trade history, the
/// wallet re-read; account news is alerted and re-checked.
@Suite("LiveRuntime: missed user-data events")
struct MissedEventsTests {
    /// Entry SHORT 446.03 at 2.224 with its backstop resting (trigger 2.256).
    static func protectedShort(_ harness: LiveHarness) async throws {
        try await harness.runtime.reconcile()
        await harness.closeSignalBar()
        await harness.mark("2.224", at: 60)
        #expect(await harness.runtime.state.positions.first?.backstopPrice == Price("2.256")!)
    }

    @Test("Missed user-data events leave no phantom positions: the backstop fired during an outage → after the resync the owner finishes and the trade is booked from the trade history (reason backstop, real PnL)")
    func backstopFiredDuringOutage() async throws {
        let harness = try LiveHarness()
        try await Self.protectedShort(harness)
        harness.client.inject(.reportsLost)
        harness.clock.set(LiveHarness.time(70))
        harness.client.triggerStop(symbol: "ATOMUSDT", at: Price("2.257")!)
        #expect(harness.client.venuePositionList.isEmpty)
        #expect(await harness.runtime.openPositions.count == 1, "nothing reached the runtime")
        // The user-data stream reconnects: resync → reconciliation.
        harness.client.clear(.reportsLost)
        // gross (2.224 − 2.257) × 446.03 = −14.71899; fees 0.49598536 + 0.50334486 (2.257 × 446.03 × 0.0005 = 0.503344855 → nearest)
        harness.client.setWallet(Money("9984.28167978")!)
        let reply = ReconcileReply()
        await harness.runtime.handle(.reconcile(reply: reply))
        #expect(await reply.value())
        #expect(await harness.runtime.openPositions.isEmpty, "phantom position left")
        let trade = try #require(await harness.runtime.trades.first)
        #expect(trade.exitReason == .backstop && trade.quantity == Quantity("446.03")!)
        #expect(trade.grossPnL == Money("-14.71899")!)
        #expect(trade.netPnL == Money("-15.71832022")!)
        #expect(try harness.store.trades(runID: harness.runID).map(\.exitReason) == ["backstop"])
        #expect(try harness.store.fills(runID: harness.runID).count == 2)
        // The wallet agrees with the venue's: 10 000 − 15.71832022 = 9 984.28167978; no correction needed.
        #expect(await harness.runtime.walletBalance == Money("9984.28167978")!)
        let kinds = await harness.runtime.alerts.map(\.kind)
        #expect(kinds.contains("reconcile.fill_booked_from_history") && !kinds.contains("reconcile.booked_at_last_price"))
        #expect(!kinds.contains("reconcile.wallet_resynced"))
        #expect(await harness.runtime.reconciled)
    }

    @Test("Missed user-data events: a take-profit fill lost in a gap resizes the owner to the venue's size through the booked fill (its slice done, the stop moved)")
    func takeProfitFillLost() async throws {
        let harness = try LiveHarness()
        try await Self.protectedShort(harness)
        let tp1 = try #require(await harness.runtime.state.positions.first?.targetPrices.first)
        harness.client.inject(.reportsLost)
        await harness.mark("\(tp1)", at: 61)
        #expect(harness.client.venuePositionList.first?.signedQuantity == Quantity("-312.23")!)
        #expect(await harness.runtime.openPositions.first?.quantity == Quantity("446.03")!)
        harness.client.clear(.reportsLost)
        try await harness.runtime.reconcile()
        let view = try #require(await harness.runtime.state.positions.first)
        #expect(view.position.quantity == Quantity("312.23")!)
        #expect(view.targetPrices.count == 2, "TP1's slice is done")
        #expect(try #require(view.stopPrice) < Price("2.250")!, "the stop moved to break-even after TP1")
    }

    @Test("Missed user-data events: what the trade history cannot explain is booked at the last price with a critical alert (no phantom position)")
    func unexplainedChangeBookedAtLastPrice() async throws {
        let harness = try LiveHarness()
        try await Self.protectedShort(harness)
        await harness.mark("2.230", at: 61)
        // The venue is flat with no trace in its history (e.g. older than the history's window).
        harness.client.seed(positions: [], orders: [])
        try await harness.runtime.reconcile()
        #expect(await harness.runtime.openPositions.isEmpty)
        let trade = try #require(await harness.runtime.trades.first)
        #expect(trade.exitReason == .external)
        #expect(await harness.runtime.alerts.contains { $0.kind == "reconcile.booked_at_last_price" && $0.severity == .critical })
    }

    @Test("The wallet is re-read after reconciliation: funding the ledger never saw is absorbed, alerted")
    func walletReread() async throws {
        let harness = try LiveHarness()
        harness.client.setWallet(Money("9990.5")!)
        try await harness.runtime.reconcile()
        #expect(await harness.runtime.walletBalance == Money("9990.5")!)
        #expect(await harness.runtime.alerts.contains { $0.kind == "reconcile.wallet_resynced" })
    }

    @Test("MARGIN_CALL raises a critical alert; the positions stay protected")
    func marginCallIsCritical() async throws {
        let harness = try LiveHarness()
        try await Self.protectedShort(harness)
        await harness.runtime.handle(.venueNotice(.marginCall(detail: "MARGIN_CALL from the venue", time: LiveHarness.time(61))))
        let alert = try #require(await harness.runtime.alerts.last)
        #expect(alert.kind == "venue.margin_call" && alert.severity == .critical && alert.message.contains("ATOMUSDT SHORT 446.03"))
        #expect(await harness.runtime.state.positions.first?.backstopPrice != nil)
    }

    @Test("ACCOUNT_CONFIG_UPDATE (leverage changed by hand) is re-checked: alerted and the open position reconciled")
    func leverageChangedByHand() async throws {
        let harness = try LiveHarness()
        try await Self.protectedShort(harness)
        #expect(harness.client.leverageCalls == [2])
        await harness.runtime.handle(.venueNotice(.leverageChanged(symbol: "ATOMUSDT", leverage: 20, time: LiveHarness.time(61))))
        let kinds = await harness.runtime.alerts.map(\.kind)
        #expect(kinds.contains("venue.leverage_changed") && kinds.last == "reconcile.done")
        #expect(await harness.runtime.hasOwner("ATOMUSDT"))
    }

    static func droppedUserData(at seconds: Int64) -> RuntimeInput {
        .venueMessageDropped(DroppedVenueMessage(stream: .userData, reason: "ORDER_TRADE_UPDATE field o.L: price 0 is not above 0",
                                                 receivedAt: LiveHarness.time(seconds)))
    }

    @Test("A user-data message dropped at the parser is a gap: CRITICAL, entries held and no entry goes out until a reconciliation after it succeeded")
    func droppedUserDataMessageHoldsEntriesUntilReconciled() async throws {
        let harness = try LiveHarness()
        try await harness.runtime.reconcile()
        harness.client.inject(.positionsUnreadable)
        await harness.runtime.handle(Self.droppedUserData(at: 30))
        let kinds = await harness.runtime.alerts.map(\.kind)
        #expect(kinds.suffix(2) == ["venue.message_dropped", "reconcile.failed"])
        #expect(await harness.runtime.alerts.first { $0.kind == "venue.message_dropped" }?.severity == .critical)
        // The signal of the next bar is refused: the venue's state after the gap is not known.
        await harness.closeSignalBar()
        await harness.mark("2.224", at: 60)
        #expect(harness.client.submittedOrders.isEmpty)
        #expect(try harness.store.decisions(runID: harness.runID).contains { !$0.approved })
        // The venue is readable again: the requested reconciliation runs (5 s after the failure) and lifts the hold.
        harness.client.clear(.positionsUnreadable)
        await harness.mark("2.224", at: 66)
        #expect(await harness.runtime.alerts.last?.kind == "reconcile.done")
    }

    @Test("A user-data message dropped at the parser: once the reconciliation after it succeeded, entries resume")
    func droppedUserDataMessageThenEntriesResume() async throws {
        let harness = try LiveHarness()
        try await harness.runtime.reconcile()
        let reads = harness.client.positionReads
        await harness.runtime.handle(Self.droppedUserData(at: 30))
        #expect(harness.client.positionReads == reads + 1, "reconciled at once")
        await harness.closeSignalBar()
        await harness.mark("2.224", at: 60)
        #expect(harness.client.submittedOrders.filter { !$0.reduceOnly && !$0.closePosition }.count == 1)
    }

    @Test("A dropped market message is only a warning: no hold, no reconciliation")
    func droppedMarketMessageIsAWarning() async throws {
        let harness = try LiveHarness()
        try await harness.runtime.reconcile()
        let reads = harness.client.positionReads
        await harness.runtime.handle(.venueMessageDropped(DroppedVenueMessage(stream: .market, reason: "markPriceUpdate field p: price 0", receivedAt: LiveHarness.time(30))))
        #expect(await harness.runtime.alerts.last?.severity == .warning)
        #expect(harness.client.positionReads == reads)
        await harness.closeSignalBar()
        await harness.mark("2.224", at: 60)
        #expect(harness.client.submittedOrders.count >= 1)
    }
}
