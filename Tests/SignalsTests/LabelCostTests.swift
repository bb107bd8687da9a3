import Signals
import Testing
import TradingModel

/// Costs in the label outcomes: slippage on both fills, funding per settlement held, and stops
/// that fill at the barrier or worse, never better.
@Suite(.ownThread) struct LabelCostTests {
    /// 1% barriers, 3-bar horizon, 0.1% fees, 2 bps slippage per fill, 0.01% assumed funding.
    let settings = TripleBarrierSettings(takeProfitPriceMove: 0.01, stopPriceMove: 0.01, horizonBars: 3, roundTripFeeRate: 0.001,
                                         slippageBasisPoints: 2, assumedFundingRate: 0.0001)

    @Test func slippageIsChargedOnEntryAndExit() throws {
        let candles = [SyntheticMarket.candle(minute: 0, open: 100, high: 100, low: 100, close: 100),
                       SyntheticMarket.candle(minute: 1, open: 100, high: 101.2, low: 99.5, close: 101),
                       SyntheticMarket.candle(minute: 2, open: 101, high: 101, low: 100.5, close: 100.8),
                       SyntheticMarket.candle(minute: 3, open: 100.8, high: 100.9, low: 100.6, close: 100.7)]
        let outcome = try #require(TripleBarrierLabeler(settings: settings).outcome(candles: candles, at: 0))
        // +1% target − 0.1% fees − 2 × 0.02% slippage = 0.86%; no settlement between 00:01 and 00:02
        #expect(abs(outcome.longReturn - 0.0086) < 1e-12)
        #expect(outcome.longExitTime == Timestamp(milliseconds: SyntheticMarket.start + 2 * 60_000))
        // the short is stopped in bar 1 (high 101.2 ≥ 101): −1% − 0.14%
        #expect(abs(outcome.shortReturn - (-0.0114)) < 1e-12)
    }

    /// A bar that opens beyond the stop fills at its open: worse than the barrier.
    @Test func aGapThroughTheStopFillsAtTheOpen() throws {
        let candles = [SyntheticMarket.candle(minute: 0, open: 100, high: 100, low: 100, close: 100),
                       SyntheticMarket.candle(minute: 1, open: 98.5, high: 98.8, low: 98.2, close: 98.6),
                       SyntheticMarket.candle(minute: 2, open: 98.6, high: 98.7, low: 98.5, close: 98.6),
                       SyntheticMarket.candle(minute: 3, open: 98.6, high: 98.7, low: 98.5, close: 98.6)]
        let outcome = try #require(TripleBarrierLabeler(settings: settings).outcome(candles: candles, at: 0))
        // long: stop 99, bar opens at 98.5 → 98.5/100 − 1 = −1.5%, − 0.14% costs
        #expect(abs(outcome.longReturn - (-0.015 - 0.0014)) < 1e-12)
        // short: target 99 reached in the same bar, never better than the barrier: +1% − 0.14%
        #expect(abs(outcome.shortReturn - (0.01 - 0.0014)) < 1e-12)
        #expect(outcome.label == .short)
        // and a stop that is merely touched books exactly the barrier
        var touched = candles
        touched[1] = SyntheticMarket.candle(minute: 1, open: 99.5, high: 99.6, low: 98.9, close: 99.2)
        let plain = try #require(TripleBarrierLabeler(settings: settings).outcome(candles: touched, at: 0))
        #expect(abs(plain.longReturn - (-0.01 - 0.0014)) < 1e-12)
    }

    /// Held through the 08:00 settlement: the assumed rate costs both sides; a recorded rate is
    /// paid by the long and received by the short.
    @Test func fundingPerSettlementHeld() throws {
        let offset: Int64 = 7 * 3_600_000 + 58 * 60_000  // bar 0 opens 07:58, the decision is its close at 07:59
        let candles = (0..<4).map { SyntheticMarket.candle(minute: $0, open: 100, high: 100.2, low: 99.8, close: 100, offsetMs: offset) }
        let labeler = TripleBarrierLabeler(settings: settings)
        // timeout at the close of bar 3 (08:02): flat move, held through 08:00
        let assumed = try #require(labeler.outcome(candles: candles, at: 0))
        #expect(abs(assumed.longReturn - (-0.0014 - 0.0001)) < 1e-12)
        #expect(abs(assumed.shortReturn - (-0.0014 - 0.0001)) < 1e-12)
        let settlement = SyntheticMarket.start + 8 * 3_600_000
        let recorded = FundingSchedule(rates: [(settlement + 17, 0.0003)], assumedRate: 0.0001)
        let withRates = try #require(labeler.outcome(candles: candles, at: 0, funding: recorded))
        #expect(abs(withRates.longReturn - (-0.0014 - 0.0003)) < 1e-12)
        #expect(abs(withRates.shortReturn - (-0.0014 + 0.0003)) < 1e-12)
        // entry at a settlement does not pay it; exit at one does
        #expect(recorded.cost(side: .long, entry: Timestamp(milliseconds: settlement), exit: Timestamp(milliseconds: settlement + 60_000)) == 0)
        #expect(recorded.cost(side: .long, entry: Timestamp(milliseconds: settlement - 60_000), exit: Timestamp(milliseconds: settlement)) == 0.0003)
    }

    /// Model files written before the cost fields existed read as costless.
    @Test func olderLabelSettingsDecodeWithoutCosts() throws {
        let json = #"{"takeProfitPriceMove":0.0083,"stopPriceMove":0.012,"horizonBars":240,"roundTripFeeRate":0.001}"#
        let decoded = try JSONDecoder().decode(TripleBarrierSettings.self, from: Data(json.utf8))
        #expect(decoded.slippageBasisPoints == 0 && decoded.assumedFundingRate == 0 && decoded.horizonBars == 240)
    }
}

import Foundation
import TradingTestSupport
