import Signals
import Testing
import TradingModel
import TradingTestSupport

@Suite(.ownThread) struct LabelAndSplitTests {
    /// Barrier arithmetic alone: no slippage, no funding (`LabelCostTests` covers those).
    let settings = TripleBarrierSettings(takeProfitPriceMove: 0.01, stopPriceMove: 0.01, horizonBars: 3, roundTripFeeRate: 0.001,
                                         slippageBasisPoints: 0, assumedFundingRate: 0)

    @Test func longTakeProfitFirst() throws {
        // entry 100; bar 1 high 101.2 reaches the long target 101 without touching 99.
        let candles = [SyntheticMarket.candle(minute: 0, open: 100, high: 100, low: 100, close: 100),
                       SyntheticMarket.candle(minute: 1, open: 100, high: 101.2, low: 99.5, close: 101),
                       SyntheticMarket.candle(minute: 2, open: 101, high: 101, low: 100.5, close: 100.8),
                       SyntheticMarket.candle(minute: 3, open: 100.8, high: 100.9, low: 100.6, close: 100.7)]
        let outcome = try #require(TripleBarrierLabeler(settings: settings).outcome(candles: candles, at: 0))
        #expect(outcome.label == .long)
        #expect(abs(outcome.longReturn - (0.01 - 0.001)) < 1e-12)  // +1% target − 0.1% fees
        // the same bar's high 101.2 reaches the short's stop at 101: −1% − 0.1% fees
        #expect(abs(outcome.shortReturn - (-0.01 - 0.001)) < 1e-12)
    }

    @Test func timeoutExitsAtHorizonClose() throws {
        // nothing reaches 101 or 99 within 3 bars → both races time out at the close 100.7
        let candles = [SyntheticMarket.candle(minute: 0, open: 100, high: 100, low: 100, close: 100),
                       SyntheticMarket.candle(minute: 1, open: 100, high: 100.9, low: 99.5, close: 100.5),
                       SyntheticMarket.candle(minute: 2, open: 100.5, high: 100.8, low: 100.4, close: 100.6),
                       SyntheticMarket.candle(minute: 3, open: 100.6, high: 100.9, low: 100.6, close: 100.7)]
        let outcome = try #require(TripleBarrierLabeler(settings: settings).outcome(candles: candles, at: 0))
        #expect(outcome.label == .none)
        #expect(abs(outcome.longReturn - (0.007 - 0.001)) < 1e-9)   // +0.7% − 0.1% fees
        #expect(abs(outcome.shortReturn - (-0.007 - 0.001)) < 1e-9)  // −0.7% − 0.1% fees
        #expect(outcome.endTime == Timestamp(milliseconds: SyntheticMarket.start + 4 * 60_000))
    }

    @Test func stopCountsFirstWhenOneBarTouchesBoth() throws {
        // bar 1 spans 98.5...101.5: both long barriers; the long is stopped, the short too.
        let candles = [SyntheticMarket.candle(minute: 0, open: 100, high: 100, low: 100, close: 100),
                       SyntheticMarket.candle(minute: 1, open: 100, high: 101.5, low: 98.5, close: 100),
                       SyntheticMarket.candle(minute: 2, open: 100, high: 100, low: 100, close: 100),
                       SyntheticMarket.candle(minute: 3, open: 100, high: 100, low: 100, close: 100)]
        let outcome = try #require(TripleBarrierLabeler(settings: settings).outcome(candles: candles, at: 0))
        #expect(outcome.label == .none)
        #expect(abs(outcome.longReturn - (-0.011)) < 1e-12)
        #expect(abs(outcome.shortReturn - (-0.011)) < 1e-12)
    }

    @Test func takeProfitMustExceedFees() {
        #expect(throws: SignalsError.self) {
            try TripleBarrierSettings(takeProfitPriceMove: 0.0008, stopPriceMove: 0.012, horizonBars: 10, roundTripFeeRate: 0.001).validate()
        }
    }

    /// Purging removes exactly the samples whose label spans overlap the test window, and the
    /// embargo removes those starting within it after the window.
    @Test func purgingRemovesExactlyTheOverlappingSamples() {
        func span(_ start: Int64, _ end: Int64) -> LabelSpan {
            LabelSpan(start: Timestamp(milliseconds: start * 60_000), end: Timestamp(milliseconds: end * 60_000))
        }
        // samples every 10 minutes, labels looking 25 minutes ahead
        let spans = (0..<20).map { span(Int64($0) * 10, Int64($0) * 10 + 25) }
        // test window = samples 8...11 → decisions 80...110, labels end at 135
        let window = PurgedWalkForward.window(of: 8...11, spans: spans)!
        #expect(window == span(80, 135))
        let candidates = Array(0..<8) + Array(12..<20)
        let kept = PurgedWalkForward.purge(candidates: candidates, spans: spans, window: window, embargoMs: 30 * 60_000)
        // before: sample 6 spans 60...85 and 7 spans 70...95 overlap 80; 5 (50...75) does not.
        // after: 12 starts at 120 ≤ 135 (overlap); 13 (130) overlaps; 14 (140) and 15 (150)
        // fall in the embargo (135, 165]; 16 starts at 160 ≤ 165 → embargoed; 17 (170) is kept.
        #expect(kept == [0, 1, 2, 3, 4, 5, 17, 18, 19])
    }

    @Test func foldsNeverTrainOnLabelsThatReachTheTestWindow() throws {
        let spans = (0..<600).map { LabelSpan(start: Timestamp(milliseconds: Int64($0) * 300_000),
                                              end: Timestamp(milliseconds: Int64($0) * 300_000 + 3_600_000)) }
        let folds = try PurgedWalkForward.folds(spans: spans, settings: WalkForwardSettings(folds: 3))
        #expect(folds.count == 3)
        for fold in folds {
            let testStart = spans[fold.testIndices.lowerBound].start
            let calibrationStart = spans[fold.calibrationIndices[0]].start
            #expect(fold.trainingIndices.allSatisfy { spans[$0].end < calibrationStart })
            #expect(fold.calibrationIndices.allSatisfy { spans[$0].end < testStart })
            #expect(fold.purgedCount > 0)
        }
    }
}
