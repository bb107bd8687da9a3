import Testing
import TraderApp
import TradingEngine
import TradingModel
import TradingTestSupport

/// A stop of `qt live` is never blocked by a venue call that does not return.
@Suite("LiveSession: bounded shutdown")
struct BoundedShutdownTests {
    @Test("Shutdown is bounded: the entry's REST call never returns (and ignores cancellation); the session still ends and the order is recorded UNKNOWN",
          .timeLimit(.minutes(5)))
    func shutdownIsBoundedWhenAnOrderCallNeverReturns() async throws {
        let harness = LiveSessionHarness(strategy: ShortOnceStrategy())
        let summary = try await harness.run { harness in
            await harness.waitUntilTrading()
            harness.venue.hangOrders()
            await harness.closedBar()
            await harness.mark("2.224")
            // The entry is on its way and its answer never comes; then the session is told to stop.
            while !Task.isCancelled, harness.venue.hungOrderCount < 1 { await Task.yield() }
        }
        #expect(summary.openPositions.isEmpty)
        let runID = try #require(try harness.store.runs().last?.id)
        let orders = try harness.store.latestOrderEvents(runID: runID)
        let entry = try #require(orders.first { !$0.reduceOnly && !$0.closePosition })
        #expect(entry.status == "UNKNOWN", "its outcome is unknown, to be queried at the next start: \(orders)")
        harness.venue.releaseHungOrders()
    }
}
