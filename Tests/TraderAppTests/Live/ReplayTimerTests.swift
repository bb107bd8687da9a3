import Testing
import TraderApp
import TradingEngine
import TradingModel
import TradingTestSupport

/// A replayed file has no wall-clock ticks: the runtime sends `.timer` at every bar close, as
/// the backtest does, so an exit owner's timer-driven work (close retries, backstop deadlines)
/// happens in paper exactly as in the backtest.
@Suite struct ReplayTimerTests {
    /// The ATOMUSDT short at 2.224 (stop 2.250688). Bar 2 spikes to 2.26: the owner's close at the
    /// stop fails (transient venue error, every time) and is retried at the following bar closes
    /// (retry interval 1 s; CRITICAL after 3 attempts), not only when a price arrives.
    @Test func aFailedCloseIsRetriedAtEachReplayedBarClose() async throws {
        let clock = ManualClock(LiveHarness.start)
        let inbox = ExecutionInbox()
        let client = FakeExecutionClient(inbox: inbox, clock: clock)
        let store = InMemoryTradeStore()
        let brain = try ExitBrain(settings: ExitSettings())
        let runID = try store.beginRun(RunRecord(kind: .paper, startedAt: LiveHarness.start, configHash: "test", detail: "replay timer test"))
        let kernel = TradingKernel<ShortOnceStrategy, BrainGate, ExitExecutor>(
            instruments: [LiveHarness.atom], strategies: [ShortOnceStrategy()], gate: BrainGate(brain: brain), initialBalance: Money(units: 10_000),
            equitySampleInterval: .seconds(3600), runTag: "pp",
            makeExitOwner: { context in
                ExitExecutor(plan: context.entry.plan, position: context.position, instrument: context.instrument, settings: ExitSettings(),
                             positionKey: context.positionKey, orderIDs: context.orderIDs)
            })
        let runtime = ATOMRuntime(kernel: kernel, client: client, venue: nil, inbox: inbox, store: store, runID: runID, alerting: RecordingAlerting(),
                                  clock: clock, replayClock: clock, planner: brain,
                                  settings: LiveRuntimeSettings(runTag: "pp", priceDriving: .barReplay(.pessimistic)), statusOf: { $0.status })
        try await runtime.reconcile(hedgeMode: false)
        client.inject(.transientOnOwnerCloses)
        client.setPrice(Price("2.224")!, symbol: "ATOMUSDT")
        let bars: [(String, String, String, String)] = [
            ("2.22", "2.23", "2.21", "2.224"),    // signals SHORT
            ("2.224", "2.26", "2.22", "2.245"),   // entry at the open; stop crossed at +40 s, the close fails
            ("2.245", "2.245", "2.245", "2.245"),
            ("2.245", "2.245", "2.245", "2.245"),
        ]
        for (minute, bar) in bars.enumerated() {
            let candle = Candle(openTime: LiveHarness.time(Int64(minute) * 60), open: Price(bar.0)!, high: Price(bar.1)!, low: Price(bar.2)!,
                                close: Price(bar.3)!, volume: Quantity(units: 1000))
            await runtime.handle(.market(.candle("ATOMUSDT", candle, interval: .seconds(60))))
        }
        let ownerCloses = client.submittedOrders.filter { $0.type == .market && $0.reduceOnly && !$0.clientOrderID.value.hasSuffix("-fl") }
        let failures = await runtime.alerts.filter { $0.kind == "runtime.exit_order_not_sent" }
        #expect(ownerCloses.count == failures.count)
        // Bar 2 (open 60 s, up-bar: low at +20 s, high at +40 s) crosses the stop at 100 s: attempt 1.
        // Retries (due 1 s after each failure) at the bar closes 120 s, 180 s (the third attempt:
        // CRITICAL `exit.close_failed`) and 240 s; without bar-close timers there would be one attempt.
        #expect(failures.map(\.time) == [LiveHarness.time(100), LiveHarness.time(120), LiveHarness.time(180), LiveHarness.time(240)])
        #expect(await runtime.alerts.contains { $0.kind == "exit.close_failed" && $0.severity == .critical && $0.time == LiveHarness.time(180) })
    }
}
