import BinanceFutures
import Foundation
import Logging
import Testing
@testable import TraderApp
import TradingEngine
import TradingModel
import TradingTestSupport

/// `qt live`'s composition (the validated example: `ema-cross` → `PreTradeValidator` → exit
/// engine) with the back-fill the built live trader configures: the first live signal after start is
/// judged by the validator on warm history (trend EMA 50/200 + slope, regime), not refused with
/// `checkUnavailable`. Fake venue, push connector, manual clock; no network, no sleeps.
@Suite("Live warm-up: the validator is warm on the first live signal")
struct WarmUpValidatorTests {
    typealias Session = LiveSession<EMACrossStrategy, PreTradeValidator, ExitExecutor>

    /// An hourly uptrend with a 6-hour wave; the last 40 minutes before the session start drift
    /// down, so EMA 12 is below EMA 26 when the history ends. On the 0.001 tick.
    static func history(_ time: Timestamp) -> Price? {
        let hours = Double(time.milliseconds - WarmUpTests.hourStart) / 3_600_000
        var value = 2.2 + 0.0004 * hours + 0.02 * sin(hours * 2 * .pi / 6)
        let minutesBeforeEnd = Double(WarmUpTests.lastClosedOpen - time.milliseconds) / 60_000
        if minutesBeforeEnd < 40 { value -= 0.0005 * (40 - minutesBeforeEnd) }
        return Price(raw: Int64((value * 1000).rounded()) * 100_000)
    }

    func run(serveHistory: Bool) async throws -> (decisions: [DecisionRecord], alerts: [AlertRecord], orders: Int, reports: [ValidationReport]) {
        let runtimes = Observed<LiveRuntime<EMACrossStrategy, PreTradeValidator, ExitExecutor>>()
        let config = try LiveCompositionTests.example("ema-cross-validated.toml")
        let clock = ManualClock(LiveHarness.start)
        let connector = PushConnector()
        let venue = FakeBinanceVenue(connector: connector, clock: clock)
        if serveHistory { venue.serveKlines(Self.history) }
        let store = InMemoryTradeStore()
        let composition = try LiveComposition(config: config, barInterval: .seconds(60), start: clock.now, store: store)
        let runID = try store.beginRun(RunRecord(kind: .live, startedAt: clock.now, configHash: config.fingerprint, detail: "warm-up test"))
        let handled = Observed<RuntimeInput>()
        let session = Session(transport: venue, websocketURL: "ws://127.0.0.1:9", connector: connector, credentials: try LiveCredentials.testPair,
                              symbols: ["ATOMUSDT"], clock: clock, timerInterval: .seconds(7 * 86_400), seed: 5,
                              logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }),
                              sleep: { duration in
                                  if duration > .seconds(120) {
                                      await waitForCancellation()
                                      throw CancellationError()
                                  }
                              },
                              pause: { _ in }, observer: { handled.append($0) }, warmUp: composition.warmUpPlan(symbols: ["ATOMUSDT"]))
        let (stopSignal, stop) = AsyncStream.makeStream(of: Void.self)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                _ = try await session.run(makeRuntime: { opened in
                    let runtime = try composition.makeRuntime(instruments: opened.instruments, client: opened.client, store: store, runID: runID,
                                                              alerting: RecordingAlerting(), clock: clock)
                    runtimes.append(runtime)
                    return runtime
                }, until: { for await _ in stopSignal { return } })
            }
            await connector.connections.wait { urls in urls.contains { $0.contains("/market/") } }
            await handled.wait { $0.contains(.venueStreamInSync(true)) }
            // The 22:13 kline closes 3% up: EMA 12 crosses above EMA 26 → LONG; the next mark acts on it.
            clock.set(Timestamp(milliseconds: WarmUpTests.lastClosedOpen + 120_000))
            let open = WarmUpTests.lastClosedOpen + 60_000
            let last = try #require(Self.history(Timestamp(milliseconds: WarmUpTests.lastClosedOpen)))
            let close = Price(raw: last.raw + last.raw / 100 * 3 / 100_000 * 100_000)
            connector.send(#"{"e":"kline","E":\#(open + 60_000),"s":"ATOMUSDT","k":{"t":\#(open),"T":\#(open + 59_999),"s":"ATOMUSDT","i":"1m","#
                           + #""o":"\#(last)","c":"\#(close)","h":"\#(close)","l":"\#(last)","v":"1000","n":10,"x":true,"q":"2224","V":"500"}}"#,
                           to: .market)
            await handled.wait { $0.contains { if case .market(.candle) = $0 { true } else { false } } }
            venue.setMark(close)
            let now = clock.now.milliseconds
            connector.send(#"{"e":"markPriceUpdate","E":\#(now),"s":"ATOMUSDT","p":"\#(close)","i":"\#(close)","P":"\#(close)","r":"0.0001","T":\#(now + 3_600_000)}"#,
                           to: .market)
            await handled.wait { $0.contains { if case .market(.markPrice) = $0 { true } else { false } } }
            stop.finish()
            try await group.waitForAll()
        }
        var reports: [ValidationReport] = []
        for runtime in runtimes.values { if let report = await runtime.lastValidationReport { reports.append(report) } }
        return (try store.decisions(runID: runID), try store.alerts(runID: runID), venue.sent(.post, "/fapi/v1/order").count, reports)
    }

    @Test("205 hours of 1m klines back-filled: the first live LONG is evaluated by trend and regime, no checkUnavailable",
          .timeLimit(.minutes(5)))
    func warmValidatorEvaluatesTheFirstSignal() async throws {
        let result = try await run(serveHistory: true)
        #expect(result.alerts.contains { $0.alert.kind == "runtime.warm_up_complete" })
        let decision = try #require(result.decisions.first)
        #expect(result.decisions.count == 1 && decision.signal.side == .long)
        #expect(!decision.reasons.contains { $0.hasPrefix("entryBlocked") || $0.hasPrefix("checkUnavailable") }, "\(decision.reasons)")
        // The validator measured the trend (EMA 50 > EMA 200, rising) and the regime from the back-filled hours; approved, the entry went out.
        let report = try #require(result.reports.first)
        #expect(report.trend?.direction == .up && report.regime != nil)
        #expect(decision.approved && result.orders == 1)
    }

    @Test("Without history (the venue refuses klines) the same start blocks the signal as warming up; nothing is sent",
          .timeLimit(.minutes(5)))
    func coldStartBlocks() async throws {
        let result = try await run(serveHistory: false)
        #expect(result.alerts.contains { $0.alert.kind == "runtime.warm_up_failed" })
        #expect(result.orders == 0)
        // One bar only seeds the EMAs: no signal, no decision, no validator report.
        #expect(result.decisions.isEmpty && result.reports.isEmpty)
    }
}
