import Foundation
import Testing
import TraderApp
import TradingEngine
import TradingModel
import TradingTestSupport

@Suite("qt close: the request written to the store, the wait for its outcome")
struct ManualCloseRequestTests {
    static func temporaryPath() -> (directory: String, file: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("qt-close-\(UUID().uuidString)").path
        return (directory, directory + "/live.sqlite")
    }

    @Test("No store at --db: refused (a request nobody reads would never be carried out)")
    func missingStoreIsRefused() throws {
        do {
            _ = try ManualCloseRequest.openStore(path: "/nonexistent/qt/live.sqlite")
            Issue.record("a missing store was accepted")
        } catch {
            #expect(error.message.contains("/nonexistent/qt/live.sqlite") && error.message.contains("--db"))
        }
    }

    @Test("Two processes on one SQLite file: qt close writes, the running session's next tick closes the short and resolves the request")
    func commandAndSessionThroughOneFile() async throws {
        let (directory, path) = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let sessionStore = try TradeStoreFactory.make(StorageSettings(path: path))
        let harness = try LiveHarness(store: sessionStore)
        try await harness.runtime.reconcile()
        await harness.closeSignalBar()
        await harness.mark("2.224", at: 60)

        // `qt close ATOMUSDT --db FILE` in another process: its own connection to the file.
        let commandStore = try ManualCloseRequest.openStore(path: path)
        let id = try ManualCloseRequest.submit(symbol: "ATOMUSDT", store: commandStore, clock: harness.clock)
        let written = try #require(try commandStore.closeRequest(id: id))
        #expect(written == CloseRequestRecord(id: id, symbol: "ATOMUSDT", requestedAt: LiveHarness.time(60)))
        let all = try ManualCloseRequest.submit(symbol: nil, store: commandStore, clock: harness.clock)
        #expect(try commandStore.closeRequest(id: all)?.symbol == nil)

        harness.clock.set(LiveHarness.time(61))
        await harness.runtime.handle(.timer(LiveHarness.time(61)))
        #expect(await harness.runtime.openPositions.isEmpty)
        #expect(harness.client.submittedOrders.last.map { $0.reduceOnly && $0.side == .buy && $0.type == .market } == true)
        #expect(try commandStore.closeRequest(id: id)?.state == .done)
        // --all came after: by then nothing was open.
        #expect(try commandStore.closeRequest(id: all)?.detail.contains("no open positions") == true)
        #expect(try commandStore.pendingCloseRequests().isEmpty)
    }

    @Test("--wait returns the outcome once the session resolved the request (no real sleeping)")
    func waitReturnsTheOutcome() async throws {
        let store = InMemoryTradeStore()
        let clock = ManualClock(LiveHarness.start)
        let run = try store.beginRun(RunRecord(kind: .live, startedAt: LiveHarness.start, configHash: "t", detail: "session"))
        let id = try ManualCloseRequest.submit(symbol: "ATOMUSDT", store: store, clock: clock)
        let polls = Observed<Duration>()
        let outcome = try await ManualCloseRequest.waitForOutcome(id: id, store: store, clock: clock, timeout: .seconds(10)) { interval in
            polls.append(interval)
            clock.advance(by: interval)
            // The session resolves it while the command waits its second interval.
            if polls.values.count == 2 {
                try store.resolveCloseRequest(id: id, state: .done, detail: "closed", runID: run, time: clock.now)
            }
        }
        #expect(outcome.state == .done && outcome.detail == "closed")
        #expect(polls.values == [.milliseconds(500), .milliseconds(500)])
    }

    @Test("--wait gives up after the timeout with the request still pending")
    func waitTimesOut() async throws {
        let store = InMemoryTradeStore()
        let clock = ManualClock(LiveHarness.start)
        let id = try ManualCloseRequest.submit(symbol: nil, store: store, clock: clock)
        let polls = Observed<Duration>()
        let outcome = try await ManualCloseRequest.waitForOutcome(id: id, store: store, clock: clock, timeout: .seconds(3)) { interval in
            polls.append(interval)
            clock.advance(by: interval)
        }
        #expect(outcome.state == .pending)
        // 3 s / 0.5 s = 6 waits, then the deadline is reached.
        #expect(polls.values.count == 6)
    }
}
