import Testing
import TraderApp
import TradingEngine
import TradingModel
import TradingTestSupport

/// What the venue had not answered when a session stopped is unknown, and the next start asks.
@Suite("LiveRuntime: unknown outcomes across a shutdown")
struct UnknownAtShutdownTests {
    static func takeProfit(_ id: String) -> OrderRequest {
        OrderRequest(clientOrderID: ClientOrderID(id)!, symbol: "ATOMUSDT", side: .buy, type: .market, quantity: Quantity(units: 10), reduceOnly: true)
    }

    @Test("Shutdown is bounded on the injected clock: a call that never returns ends as unknown when the grace passes, not before; the lanes end")
    func graceThenUnknown() async throws {
        let (harness, grace, delivered, lanes, lanesTask) = try OrderLaneTests.hangingLanes()
        let order = Self.takeProfit("qt-lv-9-tp")
        lanes.send(.submit(order, leverage: nil))
        while !Task.isCancelled, harness.client.hungCalls < 1 { await Task.yield() }
        let ended = Observed<[OrderOutcome]>()
        let shutdown = Task { ended.append(await lanes.shutdown(grace: .seconds(5))) }
        for _ in 0..<200 { await Task.yield() }
        #expect(ended.values.isEmpty, "the call still has its grace")
        grace.append(())  // 5 s pass on the injected clock; the call still hangs
        await shutdown.value
        let late = try #require(ended.values.first)
        guard late.count == 1, case .submitFailed(let failed, let error) = late[0] else {
            Issue.record("expected one unknown submit: \(late)"); return
        }
        #expect(failed == order && error.kind == .unknownStatus)
        await lanesTask.value  // the lanes end although the call never returned
        #expect(delivered.values.isEmpty, "nothing is delivered into the ended input stream")
        // A job sent after the shutdown is not performed and does not leave the lanes busy.
        lanes.send(.cancel(ClientOrderID("qt-lv-9-bs")!, symbol: "ATOMUSDT"))
        #expect(!lanes.isBusy)
        harness.client.releaseHung()
    }

    @Test("Shutdown is bounded: an answer that comes within the grace is kept (no wait for the grace's end)")
    func answerWithinGrace() async throws {
        let harness = try LiveHarness()
        harness.client.inject(.slowCalls)
        let (_, deliver) = OrderLaneTests.outcomes()
        let lanes = OrderLanes(client: harness.client, exitTimeout: nil, sleep: { _ in await waitForCancellation() }, deliver: deliver)
        let lanesTask = Task { await lanes.run() }
        let order = Self.takeProfit("qt-lv-9-tp")
        lanes.send(.submit(order, leverage: nil))
        while !Task.isCancelled, harness.client.hungCalls < 1 { await Task.yield() }
        let shutdown = Task { await lanes.shutdown(grace: .seconds(5)) }
        harness.client.releaseHung()
        let late = await shutdown.value
        guard late.count == 1, case .submitted(let answered, _) = late[0] else { Issue.record("expected the answer: \(late)"); return }
        #expect(answered == order)
        await lanesTask.value
    }

    @Test("Unknown at shutdown, queried at the next start: the order is recorded UNKNOWN; the next run carries it, queries it by client id (never resends) and holds the symbol's entries")
    func unknownAtShutdownIsQueriedAtTheNextStart() async throws {
        let store = InMemoryTradeStore()
        let first = try LiveHarness(store: store)
        let order = Self.takeProfit("qt-lv-9-tp")
        await first.runtime.settleAtShutdown([.submitFailed(order, ExecutionError(.unknownStatus, message: "no answer before shutdown"))])
        #expect(try store.latestOrderEvents(runID: first.runID).map(\.status) == ["UNKNOWN"])

        let second = try LiveHarness(store: store)
        await second.runtime.carryUnresolvedOrders()
        #expect(second.client.queriedIDs == [order.clientOrderID], "queried at once")
        #expect(second.client.submittedOrders.isEmpty, "never resent")
        #expect(try store.latestOrderEvents(runID: second.runID).map(\.status) == ["UNKNOWN"], "carried into the new run")
        try await second.runtime.reconcile()
        await second.closeSignalBar()
        await second.mark("2.224", at: 60)
        #expect(second.client.submittedOrders.isEmpty)
        #expect(await second.runtime.blockedSignals.last?.1 == "an order of ATOMUSDT has an unknown outcome")
    }

    @Test("Orders the previous run learned the outcome of are not carried")
    func answeredOrdersAreNotCarried() async throws {
        let store = InMemoryTradeStore()
        let first = try LiveHarness(store: store)
        let answered = Self.takeProfit("qt-lv-9-tp")
        let snapshot = OrderSnapshot(request: answered, status: .filled, filledQuantity: Quantity(units: 10), averagePrice: Price("2.2")!,
                                     venueOrderID: "1", updateTime: LiveHarness.start)
        await first.runtime.settleAtShutdown([.submitted(answered, snapshot)])
        let second = try LiveHarness(store: store)
        await second.runtime.carryUnresolvedOrders()
        #expect(second.client.queriedIDs.isEmpty)
    }
}
