import Testing
import TraderApp
import TradingEngine
import TradingModel
import TradingTestSupport

@Suite("LiveRuntime: the kernel, exit engine and watchdog over an execution client")
struct LiveRuntimeTests {
    @Test("ATOMUSDT SHORT at 2.224 with a 1.20% stop: marks rise, the runtime closes at the stop (stop_loss, net −12.90692622)")
    func atomShortStopsOut() async throws {
        let harness = try LiveHarness()
        try await harness.runtime.reconcile()
        await harness.closeSignalBar()
        await harness.mark("2.224", at: 60)
        let sent = harness.client.submittedOrders
        // Entry (market sell 446.03) then the exchange backstop, placed at the entry fill.
        try #require(sent.count == 2)
        #expect(sent[0].type == .market && sent[0].side == .sell && sent[0].quantity == Quantity("446.03")! && !sent[0].reduceOnly)
        #expect(sent[1].type == .stopMarket && sent[1].closePosition && sent[1].triggerPrice == Price("2.256")!)
        await harness.mark("2.240", at: 61)
        #expect(harness.client.submittedOrders.count == 2)
        #expect(await harness.runtime.trades.isEmpty)
        // 2.224 × 1.012 = 2.250688 → stop 2.250 (tick, safe side for a short); 2.2507 crosses it.
        await harness.mark("2.2507", at: 62)
        let close = try #require(harness.client.submittedOrders.last)
        #expect(close.type == .market && close.reduceOnly && close.side == .buy && close.quantity == Quantity("446.03")!)
        let trade = try #require(await harness.runtime.trades.first)
        #expect(trade.exitReason == .stopLoss)
        // gross (2.224 − 2.2507) × 446.03 = −11.909001
        #expect(trade.grossPnL == Money("-11.909001")!)
        // fees 0.05%: 2.224 × 446.03 × 0.0005 = 0.49598536, 2.2507 × 446.03 × 0.0005 = 0.50193986; net −12.90692622
        #expect(trade.netPnL == Money("-12.90692622")!)
        #expect(harness.client.cancelledIDs == [sent[1].clientOrderID])
        #expect(await harness.runtime.openPositions.isEmpty)
        let stored = try harness.store.trades(runID: harness.runID)
        #expect(stored.count == 1 && stored[0].exitReason == "stop_loss" && stored[0].netPnL == Money("-12.90692622")!)
        #expect(try harness.store.fills(runID: harness.runID).count == 2)
        #expect(try harness.store.exitStates(runID: harness.runID).isEmpty)
        #expect(try harness.store.decisions(runID: harness.runID).map(\.approved) == [true])
    }

    @Test("A mark that crosses the stop at 61 s and reaches us at 63 s: the exit owner measures level → order from our receive time (2000 ms)")
    func levelToOrderFromTheReceiveTime() async throws {
        let harness = try LiveHarness()
        try await harness.runtime.reconcile()
        await harness.closeSignalBar()
        await harness.mark("2.224", at: 60)
        // From here the venue's reports are lost: the close stays in flight and its state stays saved.
        harness.client.inject(.reportsLost)
        await harness.mark("2.2507", at: 61, receivedAt: 63)
        let close = try #require(harness.client.submittedOrders.last)
        #expect(close.type == .market && close.reduceOnly)
        let saved = try #require(try harness.store.exitStates(runID: harness.runID).first)
        let executor = try ExitExecutor(restoring: ExitStateSnapshot(positionKey: saved.positionKey, symbol: saved.symbol, executor: saved.executor,
                                                                     stateJSON: saved.stateJSON, lastPriceEventAt: saved.lastPriceEventAt),
                                        instrument: LiveHarness.atom, settings: ExitSettings())
        #expect(executor.metrics.levelToOrderMilliseconds == [2000])
        #expect(saved.lastPriceEventAt == LiveHarness.time(61))
    }

    @Test("The stored exit state shows when the last price event was processed (heartbeat at timer ticks, only when it moved)")
    func exitStateHeartbeat() async throws {
        let harness = try LiveHarness()
        try await harness.runtime.reconcile()
        await harness.closeSignalBar()
        await harness.mark("2.224", at: 60)
        await harness.mark("2.230", at: 61)
        await harness.mark("2.235", at: 62)  // quiet marks: no level crossed, the executor saves nothing
        let before = try #require(try harness.store.exitStates(runID: harness.runID).first)
        #expect(before.lastPriceEventAt != LiveHarness.time(62))
        harness.clock.set(LiveHarness.time(63))
        await harness.runtime.handle(.timer(LiveHarness.time(63)))
        let after = try #require(try harness.store.exitStates(runID: harness.runID).first)
        #expect(after.lastPriceEventAt == LiveHarness.time(62) && after.updatedAt == LiveHarness.time(63))
        #expect(after.stateJSON == before.stateJSON && after.positionKey == before.positionKey)
        // Nothing moved since: the next tick writes nothing.
        harness.clock.set(LiveHarness.time(64))
        await harness.runtime.handle(.timer(LiveHarness.time(64)))
        #expect(try harness.store.exitStates(runID: harness.runID).first?.updatedAt == LiveHarness.time(63))
    }

    @Test("Backstop rejected three times, retried at backstop_retry_interval on timer ticks → CRITICAL alert and the position is closed at market")
    func backstopRejectedClosesPosition() async throws {
        let harness = try LiveHarness()
        harness.client.inject(.rejectBackstops)
        try await harness.runtime.reconcile()
        await harness.closeSignalBar()
        await harness.mark("2.224", at: 60)
        #expect(harness.client.submittedOrders.filter { $0.type == .stopMarket }.count == 1)
        for second in Int64(61)...63 {
            harness.clock.set(LiveHarness.time(second))
            await harness.runtime.handle(.timer(LiveHarness.time(second)))
        }
        let sent = harness.client.submittedOrders
        #expect(sent.filter { $0.type == .stopMarket }.count == 3)
        let close = try #require(sent.last)
        #expect(close.type == .market && close.reduceOnly && close.side == .buy && close.quantity == Quantity("446.03")!)
        let alerts = await harness.runtime.alerts
        #expect(alerts.contains { $0.severity == .critical && $0.kind == "exit.backstop_failed" })
        let trade = try #require(await harness.runtime.trades.first)
        #expect(trade.exitReason == .riskFlatten)
        #expect(await harness.runtime.openPositions.isEmpty)
        #expect(try harness.store.alerts(runID: harness.runID).contains { $0.alert.kind == "exit.backstop_failed" })
        #expect(harness.alerting.delivered == alerts)
    }

    @Test("Unknown status on the entry → queried by client id, never resent; the venue's fill opens the protected position")
    func unknownStatusIsQueriedNotResent() async throws {
        let harness = try LiveHarness()
        harness.client.inject(.unknownStatusOnEntry)
        try await harness.runtime.reconcile()
        await harness.closeSignalBar()
        await harness.mark("2.224", at: 60)
        let entries = harness.client.submittedOrders.filter { !$0.reduceOnly && !$0.closePosition }
        try #require(entries.count == 1)
        #expect(harness.client.queriedIDs == [entries[0].clientOrderID])
        #expect(await harness.runtime.openPositions.count == 1)
        #expect(harness.client.submittedOrders.contains { $0.type == .stopMarket && $0.closePosition })
        #expect(await harness.runtime.alerts.contains { $0.kind == "runtime.order_status_unknown" })
        #expect(try harness.store.orderHistory(entries[0].clientOrderID).map(\.status).contains("UNKNOWN"))
    }

    @Test("A configuration error on the entry halts trading: CRITICAL alert, no later entries")
    func configurationErrorHalts() async throws {
        let harness = try LiveHarness()
        harness.client.inject(.configurationErrorOnEntry)
        try await harness.runtime.reconcile()
        await harness.closeSignalBar()
        await harness.mark("2.224", at: 60)
        #expect(await harness.runtime.haltReason != nil)
        #expect(await harness.runtime.alerts.contains { $0.severity == .critical && $0.kind == "runtime.halted" })
        #expect(await harness.runtime.openPositions.isEmpty)
    }

    @Test("Stale market data blocks the entry: the signal is recorded as blocked and nothing is sent")
    func staleMarketDataBlocksEntries() async throws {
        let harness = try LiveHarness()
        try await harness.runtime.reconcile()
        await harness.closeSignalBar()
        // The mark of 60 s arrives at 70 s: 10 s late, beyond the 5 s limit.
        await harness.mark("2.224", at: 60, receivedAt: 70)
        #expect(harness.client.submittedOrders.isEmpty)
        #expect(await harness.runtime.staleMarketSymbols == ["ATOMUSDT"])
        #expect(await harness.runtime.blockedSignals.count == 1)
        let decisions = try harness.store.decisions(runID: harness.runID)
        #expect(decisions.count == 1 && !decisions[0].approved && decisions[0].reasons[0].contains("stale"))
    }

    @Test("qt risk halt while the session runs blocks entries at the next tick; qt risk resume lifts it; both alerted")
    func manualHaltAndResumeDuringTheSession() async throws {
        let harness = try LiveHarness()
        try await harness.runtime.reconcile()
        harness.clock.set(LiveHarness.time(1))
        await harness.runtime.handle(.timer(LiveHarness.time(1)))  // the state the session started with: active
        _ = try RiskControl.halt(reason: "news", who: "ana", time: LiveHarness.time(2), store: harness.store)
        harness.clock.set(LiveHarness.time(3))
        await harness.runtime.handle(.timer(LiveHarness.time(3)))
        #expect(await harness.runtime.alerts.contains { $0.kind == "runtime.manual_halt" && $0.severity == .critical })
        await harness.closeSignalBar()
        await harness.mark("2.224", at: 60)
        #expect(harness.client.submittedOrders.isEmpty)
        #expect(await harness.runtime.blockedSignals.first?.1.contains("manual halt (qt risk halt): by ana: news") == true)
        _ = try RiskControl.resume(reason: "calm", who: "ana", time: LiveHarness.time(61), store: harness.store)
        harness.clock.set(LiveHarness.time(62))
        await harness.runtime.handle(.timer(LiveHarness.time(62)))
        #expect(await harness.runtime.alerts.contains { $0.kind == "runtime.manual_resume" })
        // No change since: the next tick alerts nothing more.
        let count = await harness.runtime.alerts.count
        await harness.runtime.handle(.timer(LiveHarness.time(63)))
        #expect(await harness.runtime.alerts.count == count)
    }

    @Test("Entries wait for reconciliation")
    func entriesWaitForReconciliation() async throws {
        let harness = try LiveHarness()
        await harness.closeSignalBar()
        await harness.mark("2.224", at: 60)
        #expect(harness.client.submittedOrders.isEmpty)
        #expect(await harness.runtime.blockedSignals.first?.1.contains("reconciliation") == true)
    }

    @Test("Silence on a timer tick marks the symbol stale; `qt close` closes through the exit owner (reduce-only)")
    func silenceAndManualClose() async throws {
        let harness = try LiveHarness()
        try await harness.runtime.reconcile()
        await harness.closeSignalBar()
        await harness.mark("2.224", at: 60)
        harness.clock.set(LiveHarness.time(100))
        await harness.runtime.handle(.timer(LiveHarness.time(100)))
        #expect(await harness.runtime.staleMarketSymbols == ["ATOMUSDT"])
        #expect(await harness.runtime.alerts.contains { $0.kind == "runtime.market_data_silent" && $0.severity == .critical })
        await harness.mark("2.230", at: 101)
        await harness.runtime.handle(.closeRequest("ATOMUSDT"))
        let close = try #require(harness.client.submittedOrders.last)
        #expect(close.type == .market && close.reduceOnly && close.side == .buy)
        let manualTrade = try #require(await harness.runtime.trades.first)
        let kinds = await harness.runtime.alerts.map(\.kind)
        #expect(manualTrade.exitReason == .manual, "\(manualTrade.exitReason) \(kinds)")
        #expect(await harness.runtime.openPositions.isEmpty)
    }

    @Test("The stop that was not honoured: the executor's closes fail, the price stays beyond the stop → the watchdog force-closes")
    func watchdogForceClosesWhenStopIsNotHonoured() async throws {
        let harness = try LiveHarness()
        harness.client.inject(.transientOnOwnerCloses)
        try await harness.runtime.reconcile()
        await harness.closeSignalBar()
        await harness.mark("2.224", at: 60)
        await harness.mark("2.2507", at: 62)
        #expect(harness.client.submittedOrders.last?.clientOrderID.value.hasSuffix("-sl") == true)
        #expect(await harness.runtime.openPositions.count == 1)
        // Beyond the stop 2.250 by more than 0.20% of entry (2.250 + 0.004448 = 2.254448).
        await harness.mark("2.260", at: 63)
        #expect(await harness.runtime.openPositions.count == 1)
        harness.clock.set(LiveHarness.time(66))
        await harness.runtime.handle(.timer(LiveHarness.time(66)))
        let flatten = try #require(harness.client.submittedOrders.last { $0.clientOrderID.value.hasSuffix("-fl") })
        #expect(flatten.type == .market && flatten.reduceOnly && flatten.side == .buy && flatten.quantity == Quantity("446.03")!)
        #expect(await harness.runtime.openPositions.isEmpty)
        #expect(await harness.runtime.alerts.contains { $0.severity == .critical && $0.kind == "watchdog.beyond_stop" })
        #expect(try harness.store.riskEvents(runID: harness.runID).contains { $0.state == "incident" && $0.cause == "beyond_stop" })
        #expect(await harness.runtime.trades.count == 1)
    }

    @Test("While the venue's order stream resyncs, entries are held; exits keep running")
    func streamResyncHoldsEntries() async throws {
        let harness = try LiveHarness()
        try await harness.runtime.reconcile()
        await harness.runtime.handle(.venueStreamInSync(false))
        await harness.closeSignalBar()
        await harness.mark("2.224", at: 60)
        #expect(harness.client.submittedOrders.isEmpty)
        #expect(await harness.runtime.blockedSignals.first?.1.contains("resyncing") == true)
        await harness.runtime.handle(.venueStreamInSync(true))
        let kinds = await harness.runtime.alerts.map(\.kind)
        #expect(kinds.filter { $0.rawValue.hasPrefix("runtime.venue_stream") } == ["runtime.venue_stream_resync", "runtime.venue_stream_in_sync"])
        #expect(await harness.runtime.venueStreamInSync)
    }
}
