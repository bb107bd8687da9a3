import Testing
import TraderApp
import TradingEngine
import TradingModel
import TradingTestSupport

/// Exits never wait behind other REST calls: with order lanes, venue calls run off the runtime's
/// loop; a hanging call holds back nothing else.
@Suite("LiveRuntime: order lanes")
struct OrderLaneTests {
    /// Outcomes the lanes delivered, handled by the test in order.
    static func outcomes() -> (Observed<RuntimeInput>, @Sendable (RuntimeInput) -> Void) {
        let delivered = Observed<RuntimeInput>()
        return (delivered, { delivered.append($0) })
    }

    /// Running order lanes on a harness whose venue calls hang (`.slowCalls`), their shutdown grace
    /// passing only when the test appends to `grace` (the injected sleep), outcomes in `delivered`.
    static func hangingLanes() throws -> (harness: LiveHarness, grace: Observed<Void>, delivered: Observed<RuntimeInput>,
                                          lanes: OrderLanes, task: Task<Void, Never>) {
        let harness = try LiveHarness()
        harness.client.inject(.slowCalls)
        let grace = Observed<Void>()
        let (delivered, deliver) = outcomes()
        let lanes = OrderLanes(client: harness.client, exitTimeout: nil, sleep: { _ in await grace.wait { !$0.isEmpty } }, deliver: deliver)
        return (harness, grace, delivered, lanes, Task { await lanes.run() })
    }

    /// Hands the runtime every delivered outcome in order (each may send more work to the lanes)
    /// until `done` holds.
    static func drive(_ runtime: ATOMRuntime, _ delivered: Observed<RuntimeInput>, handled: inout Int,
                      until done: @escaping @Sendable () async -> Bool) async {
        while !(await done()) {
            let seen = handled
            await delivered.wait { $0.count > seen }
            for input in delivered.values.dropFirst(handled) {
                await runtime.handle(input)
                handled += 1
            }
        }
    }

    @Test("Exits never wait behind other REST calls: a reconciliation read and a take-profit close hang; the stop close still goes out on the crossing mark")
    func exitsDoNotWaitBehindHangingCalls() async throws {
        let harness = try LiveHarness()
        try await harness.runtime.reconcile()
        let (delivered, deliver) = Self.outcomes()
        let lanes = OrderLanes(client: harness.client, exitTimeout: nil, sleep: { _ in }, deliver: deliver)
        await harness.runtime.attach(lanes: lanes)
        let lanesTask = Task { await lanes.run() }
        defer { lanesTask.cancel() }
        await harness.closeSignalBar()
        await harness.mark("2.224", at: 60)
        // Entry (entry lane), its fill, then the backstop (exit lane): until the backstop rests.
        var handled = 0
        let runtime = harness.runtime
        await Self.drive(runtime, delivered, handled: &handled) { await runtime.state.positions.first?.backstopPrice != nil }
        let tp1 = try #require(await harness.runtime.state.positions.first?.targetPrices.first)
        harness.client.inject(.slowCalls)
        // A reconciliation whose reads never answer, and TP1's close that never answers.
        await harness.runtime.handle(.reconcile(reply: nil))
        await harness.mark("\(tp1)", at: 61)
        while !Task.isCancelled, harness.client.hungCalls < 2 { await Task.yield() }
        // The price turns and crosses the stop: its close is sent at once.
        await harness.mark("2.2507", at: 62)
        while !harness.client.submittedOrders.contains(where: { $0.clientOrderID.value.hasSuffix("-sl") }) { await Task.yield() }
        let stopClose = try #require(harness.client.submittedOrders.last)
        #expect(stopClose.reduceOnly && stopClose.side == .buy && stopClose.quantity == Quantity("312.23")!,
                "the rest beyond TP1's outstanding close")
        harness.client.releaseHung()
    }

    @Test("Status resolution runs off the loop: an unknown entry is queried on a lane and resolved when the answer comes back")
    func statusResolutionOffTheLoop() async throws {
        let harness = try LiveHarness()
        harness.client.inject(.unknownStatusOnEntry)
        try await harness.runtime.reconcile()
        let (delivered, deliver) = Self.outcomes()
        let lanes = OrderLanes(client: harness.client, exitTimeout: nil, sleep: { _ in }, deliver: deliver)
        await harness.runtime.attach(lanes: lanes)
        let lanesTask = Task { await lanes.run() }
        defer { lanesTask.cancel() }
        await harness.closeSignalBar()
        await harness.mark("2.224", at: 60)
        // The entry's answer is lost (unknown); its status query runs on a lane and resolves it.
        var handled = 0
        let runtime = harness.runtime
        await Self.drive(runtime, delivered, handled: &handled) {
            delivered.values.contains { if case .orderOutcome(.queried) = $0 { true } else { false } }
        }
        for input in delivered.values.dropFirst(handled) { await runtime.handle(input) }
        #expect(delivered.values.contains { if case .orderOutcome(.submitFailed) = $0 { true } else { false } })
        let entry = try #require(harness.client.submittedOrders.first)
        #expect(try harness.store.orderHistory(entry.clientOrderID).map(\.status).contains("FILLED"))
    }

    @Test("An exit without an answer within the exit timeout is an unknown outcome at once, even when the call never returns; the lane stays free")
    func exitTimeoutMakesItUnknown() async throws {
        let harness = try LiveHarness()
        harness.client.inject(.slowCalls)
        let gate = Observed<Void>()
        let (delivered, deliver) = Self.outcomes()
        let lanes = OrderLanes(client: harness.client, exitTimeout: .seconds(5), sleep: { _ in await gate.wait { !$0.isEmpty } }, deliver: deliver)
        let lanesTask = Task { await lanes.run() }
        defer { lanesTask.cancel() }
        let order = OrderRequest(clientOrderID: ClientOrderID("qt-lv-9-tp")!, symbol: "ATOMUSDT", side: .buy, type: .market,
                                 quantity: Quantity(units: 10), reduceOnly: true)
        lanes.send(.submit(order, leverage: nil))
        while !Task.isCancelled, harness.client.hungCalls < 1 { await Task.yield() }
        #expect(lanes.isBusy)
        gate.append(())  // the timeout elapses; the call still hangs
        await delivered.wait { !$0.isEmpty }
        guard case .orderOutcome(.submitFailed(let failed, let error)) = delivered.values[0] else {
            Issue.record("not a failure: \(delivered.values)"); return
        }
        #expect(failed == order && error.kind == .unknownStatus)
        #expect(!lanes.isBusy)
        // Another exit goes out while the first call still hangs.
        let cancel = ClientOrderID("qt-lv-9-bs")!
        lanes.send(.cancel(cancel, symbol: "ATOMUSDT"))
        while !Task.isCancelled, !harness.client.cancelledIDs.contains(cancel) { await Task.yield() }
        harness.client.releaseHung()
        // The late answer of the first call is dropped: one outcome for it only.
        while !Task.isCancelled, !harness.client.submittedOrders.contains(order) { await Task.yield() }
        for _ in 0..<100 { await Task.yield() }
        #expect(delivered.values.filter { if case .orderOutcome(.submitted) = $0 { true } else { false } }.isEmpty)
    }
}
