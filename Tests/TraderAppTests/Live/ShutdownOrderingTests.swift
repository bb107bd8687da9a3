import Testing
@testable import TraderApp
import TradingEngine
import TradingModel
import TradingTestSupport

/// The order of events at a bounded shutdown, forced through the fake client's hung calls (no
/// sleeps, no reliance on which task the scheduler runs first).
@Suite("LiveRuntime: order lanes at shutdown, interleavings forced")
struct ShutdownOrderingTests {
    static func entry(_ id: String) -> OrderRequest {
        OrderRequest(clientOrderID: ClientOrderID(id)!, symbol: "ATOMUSDT", side: .sell, type: .market, quantity: Quantity(units: 10))
    }

    /// Entry A hangs (the fake hangs `-tp` submits), entry B waits behind it in the serial entry
    /// lane, a reconciliation read hangs on the other lane (so the calls are not quiet when A
    /// answers). The shutdown begins; A answers within the grace. The old lanes then took B from
    /// the finished stream's buffer and sent it — a new entry after the stop, with no loop left to
    /// protect its fill. B must end as not sent (unknown, never resent), A's answer is kept.
    @Test("A job queued when the shutdown begins is never sent, even when the call ahead of it answers within the grace")
    func aQueuedEntryIsNotSentAfterTheShutdownBegan() async throws {
        let (harness, grace, delivered, lanes, lanesTask) = try OrderLaneTests.hangingLanes()
        let (first, queued) = (Self.entry("qt-lv-9-tp"), Self.entry("qt-lv-10-en"))
        lanes.send(.submit(first, leverage: nil))
        while !Task.isCancelled, harness.client.hungCalls < 1 { await Task.yield() }
        lanes.send(.submit(queued, leverage: nil))
        lanes.send(.readVenue(gapSequence: 0, reply: nil))
        while !Task.isCancelled, harness.client.hungCalls < 2 { await Task.yield() }
        #expect(lanes.pendingJobs == 3)

        lanes.beginShutdown()  // as the session does when told to stop
        let ended = Observed<[OrderOutcome]>()
        let shutdown = Task { ended.append(await lanes.shutdown(grace: .seconds(5))) }
        harness.client.releaseOldestHung()  // A answers within the grace
        // Either B was sent (the race) or it ended without a call: only the hung read is left.
        while !Task.isCancelled, lanes.pendingJobs > 1 && !harness.client.submittedOrders.contains(queued) { await Task.yield() }
        #expect(!harness.client.submittedOrders.contains(queued), "no order is sent once the shutdown began")
        grace.append(())  // the grace passes; the read still hangs
        await shutdown.value
        let late = try #require(ended.values.first)
        #expect(late.contains { if case .submitted(first, _) = $0 { true } else { false } }, "A's answer within the grace is kept")
        #expect(late.contains { if case .submitFailed(queued, let error) = $0 { error.kind == .unknownStatus } else { false } },
                "B ends unknown (recorded UNKNOWN, queried at the next start, never resent): \(late)")
        #expect(late.contains { if case .venueRead(.failure, _, _) = $0 { true } else { false } }, "the hung read is abandoned")
        #expect(delivered.values.isEmpty)
        await lanesTask.value
        harness.client.releaseHung()
    }
}
