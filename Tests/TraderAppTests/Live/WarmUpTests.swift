import BinanceFutures
import Testing
@testable import TraderApp
import TradingEngine
import TradingModel
import TradingTestSupport

/// The live start-up's history back-fill (`WarmUpPlan`, `WarmUpProgress`, `HistoryBackfill`,
/// `LiveRuntime+WarmUp`) against the fake venue: no network, no sleeps, manual clock.
@Suite("Live warm-up: kline back-fill before the first entry")
struct WarmUpTests {
    /// 2023-11-14 22:13:20 UTC: the last closed minute opens 22:12, its hour 22:00.
    static let start = LiveHarness.start.milliseconds
    static let lastClosedOpen = start - start % 60_000 - 60_000
    static let hourStart = lastClosedOpen - lastClosedOpen % 3_600_000

    @Test("The plan from [validation] defaults: 205 hourly bars (EMA 200 + 5-bar slope), 104 1m bars (4 × slow EMA 26)")
    func planFromDefaults() {
        let plan = WarmUpPlan(validation: ValidationSettings(), strategySlowPeriod: 26, symbols: ["ATOMUSDT"])
        #expect(plan.requiredHours == 205 && plan.strategyBars == 104)
        // Regime alone: 24 + 168 = 192 hours; correlation alone: 48 + 1.
        var regimeOnly = ValidationSettings()
        regimeOnly.trend.isEnabled = false
        regimeOnly.correlation.isEnabled = false
        #expect(WarmUpPlan(validation: regimeOnly, strategySlowPeriod: 26, symbols: ["ATOMUSDT"]).requiredHours == 192)
        // … but BTC's trend is read when BTCUSDT is traded.
        #expect(WarmUpPlan(validation: regimeOnly, strategySlowPeriod: 26, symbols: ["BTCUSDT", "ATOMUSDT"]).requiredHours == 205)
        let range = plan.range(now: LiveHarness.start)
        // From 22:00 − 205 h to 22:12: 205 × 60 + 13 = 12313 klines.
        #expect(range.end.milliseconds == Self.lastClosedOpen && range.start.milliseconds == Self.hourStart - 205 * 3_600_000)
        #expect(range.bars == 12_313 && !range.capped)
        let capped = WarmUpPlan(requiredHours: 205, strategyBars: 104, maximumBars: 1000).range(now: LiveHarness.start)
        #expect(capped.bars == 1000 && capped.capped && capped.start.milliseconds == Self.lastClosedOpen - 999 * 60_000)
    }

    @Test("Progress: complete clock hours of the contiguous run; a duplicate is skipped; a gap restarts the run")
    func progress() {
        var progress = WarmUpProgress(plan: WarmUpPlan(requiredHours: 1, strategyBars: 30))
        let base = Self.hourStart - 3_600_000 - 30 * 60_000  // 20:30
        for minute in 0..<89 { _ = progress.accept(Timestamp(milliseconds: base + Int64(minute) * 60_000)) }
        // 20:30 … 21:58: the hour 21:00 is not complete yet.
        #expect(progress.completeHours == 0 && !progress.ready && progress.blockReason != nil)
        let completed = progress.accept(Timestamp(milliseconds: base + 89 * 60_000))  // 21:59 completes 21:00–22:00
        #expect(completed)
        #expect(progress.ready && progress.blockReason == nil && progress.runBars == 90)
        #expect(progress.classify(Timestamp(milliseconds: base)) == .duplicate)
        #expect(progress.classify(Timestamp(milliseconds: base + 92 * 60_000)) == .gap(missing: 2))
        _ = progress.accept(Timestamp(milliseconds: base + 92 * 60_000))
        #expect(progress.runBars == 1 && progress.ready)  // ready stays ready
    }

    static func flat(_ time: Timestamp) -> Price? { Price("2.224")! }

    @Test("Back-fill before reconciliation: every history bar's signal is dropped (no order, no decision); the first live signal trades",
          .timeLimit(.minutes(5)))
    func historySignalsNeverTrade() async throws {
        let harness = LiveSessionHarness(strategy: ShortEveryBarStrategy(), warmUp: WarmUpPlan(requiredHours: 2, strategyBars: 10))
        harness.venue.serveKlines(Self.flat)
        _ = try await harness.run { harness in
            await harness.waitUntilTrading()
            let paths = harness.venue.requests.values.map { "\($0.method.rawValue) \($0.path)" }
            #expect(Array(paths[4...7]) == ["POST /fapi/v1/marginType", "GET /fapi/v3/balance", "GET /fapi/v1/klines", "GET /fapi/v3/positionRisk"])
            let request = try #require(harness.venue.sent(.get, "/fapi/v1/klines").first)
            // From 20:00 (2 hours before 22:00) to 22:12: 133 klines, one page.
            #expect(FakeBinanceVenue.parameter("startTime", in: request) == String(Self.hourStart - 2 * 3_600_000))
            #expect(FakeBinanceVenue.parameter("endTime", in: request) == String(Self.lastClosedOpen))
            #expect(harness.venue.sent(.post, "/fapi/v1/order").isEmpty && harness.venue.sent(.post, "/fapi/v1/leverage").isEmpty)
            #expect(try harness.store.decisions(runID: 1).isEmpty)
            #expect(try harness.store.alerts(runID: 1).contains { $0.alert.kind == "runtime.warm_up_complete" })
            harness.clock.set(Timestamp(milliseconds: Self.lastClosedOpen + 120_000))  // the 22:13 kline closes
            await harness.closedBar()
            await harness.mark("2.224")
            await harness.venue.requests.wait { $0.contains { $0.path == "/fapi/v1/algoOrder" && $0.method == .post } }
        }
        #expect(harness.venue.sent(.post, "/fapi/v1/order").count == 1)
        #expect(try harness.store.decisions(runID: 1).map(\.approved) == [true])
    }

    @Test("A failed back-fill (HTTP 503: three attempts in each of four rounds, 5, 10 and 20 s apart) is alerted and blocks entries; no order",
          .timeLimit(.minutes(5)))
    func failedBackfillBlocksEntries() async throws {
        let harness = LiveSessionHarness(strategy: ShortEveryBarStrategy(), warmUp: WarmUpPlan(requiredHours: 2, strategyBars: 10))
        _ = try await harness.run { harness in
            await harness.waitUntilTrading()
            #expect(harness.venue.sent(.get, "/fapi/v1/klines").count == 12)
            harness.clock.set(Timestamp(milliseconds: Self.lastClosedOpen + 120_000))
            await harness.closedBar()
            await harness.mark("2.224")
        }
        #expect(harness.venue.sent(.post, "/fapi/v1/order").isEmpty)
        let alert = try #require(try harness.store.alerts(runID: 1).first { $0.alert.kind == "runtime.warm_up_failed" }?.alert)
        #expect(alert.symbol == "ATOMUSDT" && alert.message.contains("entries blocked until 2 hours"))
        let decisions = try harness.store.decisions(runID: 1)
        try #require(decisions.count == 1)
        #expect(!decisions[0].approved)
        #expect(decisions[0].reasons.first?.contains("warming up: 0 of 2 hourly bars") == true)
        #expect(decisions[0].reasons.first?.contains("back-fill failed") == true)
    }

    @Test("A gap in the back-fill leaves too short a contiguous run: alerted, entries blocked", .timeLimit(.minutes(5)))
    func gapInBackfillBlocksEntries() async throws {
        let harness = LiveSessionHarness(strategy: ShortEveryBarStrategy(), warmUp: WarmUpPlan(requiredHours: 2, strategyBars: 10))
        let missing = Self.hourStart - 30 * 60_000  // 21:30 is missing
        harness.venue.serveKlines { $0.milliseconds == missing ? nil : Price("2.224")! }
        _ = try await harness.run { harness in
            await harness.waitUntilTrading()
            harness.clock.set(Timestamp(milliseconds: Self.lastClosedOpen + 120_000))
            await harness.closedBar()
            await harness.mark("2.224")
        }
        #expect(harness.venue.sent(.post, "/fapi/v1/order").isEmpty)
        let alert = try #require(try harness.store.alerts(runID: 1).first { $0.alert.kind == "runtime.warm_up_incomplete" }?.alert)
        #expect(alert.message.contains("1 gap(s), 1 minute(s) missing") && alert.message.contains("continues from the live stream"))
        #expect(try harness.store.decisions(runID: 1).first?.reasons.first?.contains("warming up: 0 of 2 hourly bars") == true)
    }

    @Test("Minutes missing between the back-fill and the first live kline are fetched from REST before it; then the entry goes out",
          .timeLimit(.minutes(5)))
    func seamIsBridged() async throws {
        let harness = LiveSessionHarness(strategy: ShortEveryBarStrategy(), warmUp: WarmUpPlan(requiredHours: 2, strategyBars: 10))
        harness.venue.serveKlines(Self.flat)
        _ = try await harness.run { harness in
            await harness.waitUntilTrading()
            // The first live kline opens 22:15: 22:13 and 22:14 closed while the session started.
            harness.clock.set(Timestamp(milliseconds: Self.lastClosedOpen + 240_000))
            await harness.closedBar()
            await harness.mark("2.224")
            await harness.venue.requests.wait { $0.contains { $0.path == "/fapi/v1/algoOrder" && $0.method == .post } }
        }
        let fetches = harness.venue.sent(.get, "/fapi/v1/klines")
        try #require(fetches.count == 2)
        #expect(FakeBinanceVenue.parameter("startTime", in: fetches[1]) == String(Self.lastClosedOpen + 60_000))
        #expect(FakeBinanceVenue.parameter("endTime", in: fetches[1]) == String(Self.lastClosedOpen + 120_000))
        #expect(harness.venue.sent(.post, "/fapi/v1/order").count == 1)
        #expect(!(try harness.store.alerts(runID: 1).contains { $0.alert.kind == "runtime.warm_up_gap" }))
    }

    @Test("Once warm, minutes missing between live klines (a stream reconnect) are fetched from REST too: the strategy sees no gap",
          .timeLimit(.minutes(5)))
    func liveGapAfterWarmIsBridged() async throws {
        let harness = LiveSessionHarness(strategy: ShortEveryBarStrategy(), warmUp: WarmUpPlan(requiredHours: 2, strategyBars: 10))
        harness.venue.serveKlines(Self.flat)
        _ = try await harness.run { harness in
            await harness.waitUntilTrading()
            harness.clock.set(Timestamp(milliseconds: Self.lastClosedOpen + 120_000))  // 22:13, the next minute
            await harness.closedBar()
            harness.clock.set(Timestamp(milliseconds: Self.lastClosedOpen + 300_000))  // the 22:16 kline: 22:14 and 22:15 were missed
            await harness.closedBar()
        }
        let fetches = harness.venue.sent(.get, "/fapi/v1/klines")
        try #require(fetches.count == 2)
        #expect(FakeBinanceVenue.parameter("startTime", in: fetches[1]) == String(Self.lastClosedOpen + 120_000))
        #expect(FakeBinanceVenue.parameter("endTime", in: fetches[1]) == String(Self.lastClosedOpen + 180_000))
        #expect(!(try harness.store.alerts(runID: 1).contains { $0.alert.kind == "runtime.warm_up_gap" }))
    }
}
