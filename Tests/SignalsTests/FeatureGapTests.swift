import Signals
import Testing
import TradingModel
import TradingTestSupport

/// Gaps in the 1 m candles (`FeaturePipeline.restartsAtGaps`, what the `ml-ensemble` strategy
/// runs in backtests, paper and live): the features restart instead of treating non-adjacent
/// bars as adjacent; without a gap nothing changes.
@Suite(.ownThread) struct FeatureGapTests {
    static let plain = FeatureSet.standard(marketContext: false)
    static let withContext = FeatureSet.standard(marketContext: true)
    /// Enough for the warm-up before and after the gap.
    static let count = 2 * SyntheticMarket.warmUpMinutes + 5000
    /// Ten minutes are missing, a warm-up and 2400 minutes after the start.
    static let gap = (SyntheticMarket.warmUpMinutes + 2400)..<(SyntheticMarket.warmUpMinutes + 2410)

    static func vectors(_ candles: [Candle], symbol: Symbol = "AAAUSDT", featureSet: FeatureSet = plain,
                        restartsAtGaps: Bool) throws -> [FeatureVector?] {
        var pipeline = FeaturePipeline(featureSet: featureSet, contextSource: nil, restartsAtGaps: restartsAtGaps)
        return try candles.map { try pipeline.onCandle($0, symbol: symbol) }
    }

    @Test("No gap: restarting at gaps changes nothing (every vector identical)")
    func contiguousIsUnchanged() throws {
        let candles = SyntheticMarket.candles(seed: 91, count: Self.count)
        let restarting = try Self.vectors(candles, restartsAtGaps: true)
        #expect(restarting == (try Self.vectors(candles, restartsAtGaps: false)))
        #expect(restarting.compactMap { $0 }.count > Self.count - SyntheticMarket.warmUpMinutes - 100)
    }

    @Test("A 10-minute gap: no features from the gap until the warm-up's hourly bars are in again, then exactly a fresh start's")
    func gapRestartsTheLookback() throws {
        let all = SyntheticMarket.candles(seed: 91, count: Self.count)
        let candles = Array(all[..<Self.gap.lowerBound] + all[Self.gap.upperBound...])
        let split = Self.gap.lowerBound  // index of the first candle after the gap
        var pipeline = FeaturePipeline(featureSet: Self.plain, contextSource: nil, restartsAtGaps: true)
        let restarting = try candles.map { try pipeline.onCandle($0, symbol: "AAAUSDT") }
        #expect(pipeline.restarts == 1)
        #expect(pipeline.lastRestart?.openTime == all[Self.gap.upperBound].openTime && pipeline.lastRestart?.missingMinutes == 10)

        // Before the gap: as without restarts (warm at the gap).
        let contiguous = try Self.vectors(candles, restartsAtGaps: false)
        #expect(Array(restarting[..<split]) == Array(contiguous[..<split]) && restarting[split - 1] != nil)
        // Without the restart the features go straight on across the gap (what was wrong).
        #expect(contiguous[split] != nil)
        // From the gap: exactly what a pipeline started at the first candle after the gap gives.
        let fresh = try Self.vectors(Array(candles[split...]), restartsAtGaps: true)
        #expect(Array(restarting[split...]) == fresh)
        // Nothing until the warm-up is complete again: `hourBars` hourly bars, the first of them the
        // 50 minutes left of the hour the gap ended in (xx:10), as for any start.
        let firstAfter = try #require(restarting[split...].firstIndex { $0 != nil })
        #expect(firstAfter - split + 1 == (FeatureEngine.warmUp.hourBars - 1) * 60 + 50)
        #expect(restarting[firstAfter...].allSatisfy { $0 != nil })
    }

    @Test("A gap in the market context's reference: no symbol has features until the context is warm again; the symbol's own lookback is kept")
    func contextGapRewarmsTheContext() throws {
        let traded = SyntheticMarket.candles(seed: 7, count: Self.count)
        let allReference = SyntheticMarket.candles(seed: 8, count: Self.count, startPrice: 90_000)
        let reference = Array(allReference[..<Self.gap.lowerBound] + allReference[Self.gap.upperBound...])
        func run(restartsAtGaps: Bool) throws -> [Int: FeatureVector?] {
            var pipeline = FeaturePipeline(featureSet: Self.withContext, contextSource: .symbol("BTCUSDT"), restartsAtGaps: restartsAtGaps)
            var byMinute: [Int: FeatureVector?] = [:]
            var cursor = 0
            for (minute, candle) in traded.enumerated() {
                if cursor < reference.count && reference[cursor].openTime == candle.openTime {
                    _ = try pipeline.onCandle(reference[cursor], symbol: "BTCUSDT")
                    cursor += 1
                }
                byMinute[minute] = try pipeline.onCandle(candle, symbol: "AAAUSDT")
            }
            return byMinute
        }
        let restarting = try run(restartsAtGaps: true)
        let plain = try run(restartsAtGaps: false)
        let context = Self.withContext.names.firstIndex(of: "context.return_240m")!
        // Warm before the gap, identical to the plain pipeline there.
        #expect((0..<Self.gap.lowerBound).allSatisfy { restarting[$0]! == plain[$0]! })
        #expect(restarting[Self.gap.lowerBound - 1]!?.values[context].isFinite == true)
        // The plain pipeline's 240-minute context return spans the gap after it; the restarting one has no vector.
        let after = Self.gap.upperBound + 30
        #expect(plain[after]!?.values[context].isFinite == true)
        #expect(restarting[after]! == nil)
        // The context is warm again 242 minutes after the gap (not the symbol's warm-up): vectors with finite context.
        let back = try #require((Self.gap.upperBound..<Self.count).first { restarting[$0]! != nil })
        #expect(back - Self.gap.upperBound <= MarketContextEngine.warmUpMinutes)
        #expect(restarting[back]!?.values[context].isFinite == true)
        // The symbol's own indicators were not restarted: they are the plain pipeline's.
        let own = try #require(Self.withContext.names.firstIndex { $0.hasPrefix("h1.") })
        #expect(restarting[back]!?.values[own] == plain[back]!?.values[own])
    }
}
