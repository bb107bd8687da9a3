import Testing
import TraderApp
import TradingEngine
import TradingModel
import TradingTestSupport

/// A hold caused by a lost user-data message is lifted only by a reconciliation whose reads all
/// began after the loss was detected: reads that began before it may predate the lost events.
@Suite("LiveRuntime: a user-data gap during a reconciliation")
struct GapDuringReconcileTests {
    @Test("A reconciliation already reading when a user-data message is dropped does not lift the hold; the next one, read after the gap, does")
    func readsBeforeTheGapDoNotLiftTheHold() async throws {
        let harness = try LiveHarness()
        try await harness.runtime.reconcile()
        let (delivered, deliver) = OrderLaneTests.outcomes()
        let lanes = OrderLanes(client: harness.client, exitTimeout: nil, sleep: { _ in }, deliver: deliver)
        await harness.runtime.attach(lanes: lanes)
        let lanesTask = Task { await lanes.run() }
        defer { lanesTask.cancel() }
        let runtime = harness.runtime
        harness.client.inject(.slowCalls)
        // A reconciliation starts reading (its position read hangs)...
        await runtime.handle(.reconcile(reply: nil))
        while !Task.isCancelled, harness.client.hungCalls < 1 { await Task.yield() }
        // ...and a user-data message is lost while it reads.
        await runtime.handle(.venueMessageDropped(DroppedVenueMessage(stream: .userData, reason: "ORDER_TRADE_UPDATE: field \"z\" is not a number",
                                                                      receivedAt: LiveHarness.time(1))))
        // The reads that began before the gap answer first.
        harness.client.releaseOldestHung()
        var handled = 0
        await OrderLaneTests.drive(runtime, delivered, handled: &handled) {
            delivered.values.contains { if case .orderOutcome(.venueRead) = $0 { true } else { false } }
        }
        #expect(await runtime.reconciled)
        let afterStaleRead = await runtime.alerts.filter { $0.kind == "reconcile.done" }.last?.message ?? ""
        #expect(afterStaleRead.contains("entries still held"), "\(afterStaleRead)")
        // A signal now is not acted on: the gap's hold stands.
        await harness.closeSignalBar()
        await harness.mark("2.224", at: 60)
        #expect(harness.client.submittedOrders.isEmpty, "an entry went out on a reconciliation that predates the lost message")
        #expect(await runtime.blockedSignals.last?.1 == "a user-data message was lost; entries wait for the reconciliation")
        // The reads asked for after the gap answer: the hold is lifted.
        harness.client.clear(.slowCalls)
        harness.client.releaseHung()
        await OrderLaneTests.drive(runtime, delivered, handled: &handled) { !lanes.isBusy }
        for input in delivered.values.dropFirst(handled) { await runtime.handle(input) }
        let last = await runtime.alerts.filter { $0.kind == "reconcile.done" }.last?.message ?? ""
        #expect(last.hasSuffix("entries allowed"), "\(last)")
    }
}
