import Signals
import Testing
@testable import TraderApp
import TradingEngine
import TradingModel
import TradingTestSupport

/// `qt diagnose --model`: the live hit rate and coverage of the model's signals against the
/// out-of-sample expectation of its report, with intervals; a small sample is not judged.
@Suite struct ModelHealthTests {
    static let btc: Symbol = "BTCUSDT"
    static let start: Int64 = 1_767_225_600_000
    /// Take-profit and stop 1%, horizon 5 one-minute bars.
    static let labels = TripleBarrierSettings(takeProfitPriceMove: 0.01, stopPriceMove: 0.01, horizonBars: 5)

    static func expectation(hitRate: Double = 0.55, coverage: Double = 0.5) -> ModelExpectation {
        ModelExpectation(source: "ml-ensemble@v1", hitRate: hitRate, coverage: coverage, trades: 400, signals: 900, decisionIntervalMinutes: 5,
                         labelSettings: labels, symbols: ["BTCUSDT", "ETHUSDT"])
    }

    /// `outcomes.count` ten-minute segments of flat 100 candles; in each, a LONG signal at the
    /// close of its first bar, and its second bar reaches 101.5 (the long's target: a hit) or
    /// 98.5 (its stop: a miss). The label windows never overlap: every signal is its own group.
    static func session(_ outcomes: [Bool]) throws -> (InMemoryTradeStore, [Candle], [RunRecord]) {
        var candles: [Candle] = []
        for (segment, hit) in outcomes.enumerated() {
            for bar in 0..<10 {
                let open = Timestamp(milliseconds: start + Int64(segment * 10 + bar) * 60_000)
                let high = bar == 1 && hit ? Price("101.5")! : Price(units: 100)
                let low = bar == 1 && !hit ? Price("98.5")! : Price(units: 100)
                candles.append(Candle(openTime: open, open: Price(units: 100), high: high, low: low, close: Price(units: 100), volume: 1))
            }
        }
        let store = InMemoryTradeStore()
        let end = Timestamp(milliseconds: start + Int64(outcomes.count * 10) * 60_000)
        let run = try store.beginRun(RunRecord(kind: .paper, startedAt: Timestamp(milliseconds: start), configHash: "c",
                                               detail: "ml-ensemble paper on BTCUSDT"))
        for segment in outcomes.indices {
            let time = Timestamp(milliseconds: start + Int64(segment * 10 + 1) * 60_000)   // the close of the segment's first bar
            try store.recordDecision(DecisionRecord(runID: run, signal: Signal(symbol: btc, side: .long, confidence: 0.7, time: time, source: "ml-ensemble@v1"),
                                                    approved: true, reasons: [], quantity: Quantity("0.01")!, leverage: 2, time: time))
        }
        // another version's signal is not this model's
        try store.recordDecision(DecisionRecord(runID: run, signal: Signal(symbol: btc, side: .short, confidence: 0.7, time: Timestamp(milliseconds: start + 60_000),
                                                                           source: "ml-ensemble@v0"), approved: true, reasons: [], quantity: nil, leverage: nil,
                                                time: Timestamp(milliseconds: start + 60_000)))
        try store.finishRun(id: run, finishedAt: end, summaryJSON: "{}")
        return (store, candles, try store.runs())
    }

    static func measure(_ outcomes: [Bool], expectation: ModelExpectation) throws -> ModelHealth {
        let (store, candles, runs) = try session(outcomes)
        return ModelHealth.measure(expectation: expectation, runs: runs, decisions: try store.decisions(runID: 1), candles: [btc: candles],
                                   candleIntervals: [btc: .seconds(60)], asOf: Timestamp(milliseconds: start + Int64(outcomes.count * 10) * 60_000))
    }

    @Test func aHitRateBelowTheReportsIsAFindingWithItsInterval() throws {
        // 8 hits in 40 independent signals: 20%; the design effect 40/39 of 40 one-signal groups leaves 39 effective: Wilson 95% = 10.41%–34.97%, below the expected 55%
        let outcomes = (0..<40).map { $0 % 5 == 0 }
        let health = try Self.measure(outcomes, expectation: Self.expectation())
        #expect(health.signals == 40 && health.approved == 40 && health.labelled == 40 && health.hits == 8 && health.unlabelled == 0)
        let hit = try #require(health.hitRate)
        #expect(hit.observed == 0.2 && hit.sampleSize == 40 && hit.verdict == .below)
        #expect(abs(hit.interval.low - 0.104139) < 1e-5 && abs(hit.interval.high - 0.349661) < 1e-5)
        // 40 signals over 400 minutes / 5-minute decisions × 1 named symbol = 80 bars: 50%, as expected
        let coverage = try #require(health.coverage)
        #expect(coverage.observed == 0.5 && coverage.sampleSize == 80 && coverage.verdict == .consistent)
        let finding = try #require(health.finding)
        #expect(finding.rule == "model-below-expectation" && finding.severity == .warning)
        #expect(finding.title == "the model is not performing as evaluated: hit rate 20.00% below the expected 55.00%")
        #expect(finding.evidence[0] == "8 of 40 approved signals hit their triple-barrier target; 95% interval 10.41%–34.97% on 40 independent groups "
                + "lies below the report's 55.00% over 400 trades")
        #expect(health.lines.contains("hit rate 8 of 40 labelled approved signals (20.00%), 95% interval 10.41%–34.97% on 40 independent groups: BELOW the expected 55.00%"))
    }

    @Test func aHitRateInsideTheIntervalIsConsistentAndNoFinding() throws {
        // 22 of 40 = 55%
        let outcomes = (0..<40).map { $0 < 22 }
        let health = try Self.measure(outcomes, expectation: Self.expectation())
        #expect(health.hitRate?.verdict == .consistent && health.hits == 22)
        #expect(health.finding == nil)
    }

    @Test func aSmallSampleIsSaidToBeSmallNotJudged() throws {
        // six misses in a row: 0%, but 6 groups are too few to say anything
        let health = try Self.measure(Array(repeating: false, count: 6), expectation: Self.expectation(coverage: 0.02))
        #expect(health.hitRate?.observed == 0 && health.hitRate?.verdict == nil)
        // 12 bars × the expected 2% = 0.24 signals: far too few to judge the coverage
        #expect(health.coverage?.verdict == nil)
        #expect(health.finding == nil)
        #expect(health.lines.contains { $0.hasSuffix("too few to judge (30 independent groups needed, 6 so far); expected 55.00%") })
    }

    @Test func signalsWhoseHorizonHasNotPassedOrWithoutCandlesAreNotLabelled() throws {
        let (store, candles, runs) = try Self.session((0..<40).map { $0 % 2 == 0 })
        // only the first 100 minutes of candles: 10 segments labelled, 30 not
        let health = ModelHealth.measure(expectation: Self.expectation(), runs: runs, decisions: try store.decisions(runID: 1),
                                         candles: [Self.btc: Array(candles.prefix(100))], candleIntervals: [Self.btc: .seconds(60)],
                                         asOf: Timestamp(milliseconds: Self.start + 400 * 60_000))
        #expect(health.labelled == 10 && health.unlabelled == 30)
        #expect(health.lines.contains("30 approved signals not labelled: no one-minute --data candles of their symbol, or their 5-minute horizon has not passed"))
    }

    @Test func theCoverageOffTheExpectationEitherWayIsAFinding() throws {
        // 40 signals in 80 bars (50%, Wilson 39.3%–60.7%) where the report saw 15% (80 × 15% = 12 expected
        // signals: enough to judge): the model fires far more often than evaluated
        let health = try Self.measure((0..<40).map { $0 < 22 }, expectation: Self.expectation(coverage: 0.15))
        #expect(health.coverage?.verdict == .above)
        #expect(health.finding?.title == "the model is not performing as evaluated: coverage 50.00% above the expected 15.00%")
        // at 10% the expectation predicts 8 signals in 80 bars: too few to judge, no finding
        #expect(try Self.measure((0..<40).map { $0 < 22 }, expectation: Self.expectation(coverage: 0.1)).coverage?.verdict == nil)
    }

    @Test func diagnoseShowsTheModelHealthAndItsFinding() throws {
        let (store, candles, _) = try Self.session((0..<40).map { $0 % 5 == 0 })
        var options = DiagnoseOptions()
        options.model = Self.expectation()
        options.candles = [Self.btc: candles]
        options.candleIntervals = [Self.btc: .seconds(60)]
        let diagnosis = try Diagnosis(store: store, storeName: "memory", options: options)
        #expect(diagnosis.findings.contains { $0.rule == "model-below-expectation" })
        #expect(diagnosis.modelHealth.first == "model ml-ensemble@v1: out of sample, hit rate 55.00% over 400 trades, coverage 50.00% of decision bars (900 signals)")
        // without the report the section says what it needs
        let plain = try Diagnosis(store: store, storeName: "memory", options: DiagnoseOptions())
        #expect(plain.modelHealth.last?.hasSuffix("needs the model's report: give --model DIR (the directory qt train wrote)") == true)
    }
}
