import Testing
import TraderApp
import TradingEngine
import TradingModel
import TradingTestSupport

@Suite("Close requests through the store (qt close): picked up on the runtime's timer tick")
struct CloseRequestTests {
    /// The ATOMUSDT short of the seed incident, open and protected (entry at 2.224, backstop sent).
    static func openShort() async throws -> LiveHarness {
        let harness = try LiveHarness()
        try await harness.runtime.reconcile()
        await harness.closeSignalBar()
        await harness.mark("2.224", at: 60)
        #expect(await harness.runtime.openPositions.count == 1)
        return harness
    }

    @Test("qt close ATOMUSDT: the next tick closes through the exit owner (reduce-only market BUY) and marks the request done")
    func symbolRequestClosesThroughTheOwner() async throws {
        let harness = try await Self.openShort()
        await harness.mark("2.230", at: 61)
        let id = try harness.store.recordCloseRequest(CloseRequestRecord(symbol: "ATOMUSDT", requestedAt: LiveHarness.time(61)))
        // Nothing happens between ticks: the request waits in the store.
        #expect(harness.client.submittedOrders.count == 2)
        harness.clock.set(LiveHarness.time(62))
        await harness.runtime.handle(.timer(LiveHarness.time(62)))
        let close = try #require(harness.client.submittedOrders.last)
        #expect(close.type == .market && close.reduceOnly && close.side == .buy && close.quantity == Quantity("446.03")!)
        #expect(await harness.runtime.openPositions.isEmpty)
        let trade = try #require(await harness.runtime.trades.first)
        #expect(trade.exitReason == .manual)
        let request = try #require(try harness.store.closeRequest(id: id))
        #expect(request.state == .done && request.detail.contains("ATOMUSDT") && request.resolvedByRunID == harness.runID)
        #expect(request.resolvedAt == LiveHarness.time(62))
        #expect(try harness.store.pendingCloseRequests().isEmpty)
        #expect(await harness.runtime.alerts.contains { $0.kind == "runtime.close_request_done" })
    }

    @Test("qt close --all closes every open position; requests that cannot be carried out fail with the reason, nothing sent")
    func allAndRefusedRequests() async throws {
        let harness = try LiveHarness()
        try await harness.runtime.reconcile()
        let store = harness.store
        let flatAll = try store.recordCloseRequest(CloseRequestRecord(symbol: nil, requestedAt: LiveHarness.time(0)))
        let foreign = try store.recordCloseRequest(CloseRequestRecord(symbol: "BTCUSDT", requestedAt: LiveHarness.time(0)))
        let noPosition = try store.recordCloseRequest(CloseRequestRecord(symbol: "ATOMUSDT", requestedAt: LiveHarness.time(0)))
        // Older than the 5 min limit when first seen at 10 s: from an earlier session.
        let stale = try store.recordCloseRequest(CloseRequestRecord(symbol: nil, requestedAt: Timestamp(milliseconds: LiveHarness.start.milliseconds - 300_000)))
        harness.clock.set(LiveHarness.time(10))
        await harness.runtime.handle(.timer(LiveHarness.time(10)))
        #expect(harness.client.submittedOrders.isEmpty)
        #expect(try store.closeRequest(id: flatAll)?.state == .done)
        #expect(try store.closeRequest(id: flatAll)?.detail.contains("no open positions") == true)
        #expect(try store.closeRequest(id: foreign)?.state == .failed)
        #expect(try store.closeRequest(id: foreign)?.detail.contains("BTCUSDT is not traded") == true)
        #expect(try store.closeRequest(id: noPosition)?.detail == "no open ATOMUSDT position")
        #expect(try store.closeRequest(id: stale)?.state == .failed)
        #expect(try store.closeRequest(id: stale)?.detail.hasPrefix("expired") == true)

        // Now with the short open: --all closes it.
        await harness.closeSignalBar()
        await harness.mark("2.224", at: 60)
        let all = try store.recordCloseRequest(CloseRequestRecord(symbol: nil, requestedAt: LiveHarness.time(60)))
        harness.clock.set(LiveHarness.time(61))
        await harness.runtime.handle(.timer(LiveHarness.time(61)))
        #expect(await harness.runtime.openPositions.isEmpty)
        #expect(harness.client.submittedOrders.last?.reduceOnly == true)
        #expect(try store.closeRequest(id: all)?.state == .done)
    }

    @Test("The owner's close keeps failing: the request stays open until the 30 s timeout, then fails with the reason; the position stays protected")
    func closeThatDoesNotFillFailsAfterTheTimeout() async throws {
        let harness = try await Self.openShort()
        harness.client.inject(.transientOnOwnerCloses)
        let id = try harness.store.recordCloseRequest(CloseRequestRecord(symbol: "ATOMUSDT", requestedAt: LiveHarness.time(60)))
        harness.clock.set(LiveHarness.time(61))
        await harness.runtime.handle(.timer(LiveHarness.time(61)))
        #expect(harness.client.submittedOrders.last?.reduceOnly == true)
        #expect(await harness.runtime.openPositions.count == 1)
        #expect(try harness.store.closeRequest(id: id)?.state == .pending)
        harness.clock.set(LiveHarness.time(90))
        await harness.runtime.handle(.timer(LiveHarness.time(90)))
        #expect(try harness.store.closeRequest(id: id)?.state == .pending)
        harness.clock.set(LiveHarness.time(92))
        await harness.runtime.handle(.timer(LiveHarness.time(92)))
        let request = try #require(try harness.store.closeRequest(id: id))
        #expect(request.state == .failed && request.detail.contains("still open") && request.detail.contains("backstops"))
        #expect(await harness.runtime.openPositions.count == 1)
        // The backstop was never cancelled.
        let backstop = try #require(harness.client.submittedOrders.first { $0.type == .stopMarket })
        #expect(!harness.client.cancelledIDs.contains(backstop.clientOrderID))
    }
}
