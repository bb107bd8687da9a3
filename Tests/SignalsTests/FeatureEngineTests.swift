import Signals
import Testing
import TradingModel
import TradingTestSupport

@Suite(.ownThread) struct FeatureEngineTests {
    /// Minutes added in front of the original scenarios for the longer warm-up (`FeatureEngine.warmUp`).
    static let e = SyntheticMarket.warmUpMinutes - 2160
    static let featureSet = FeatureSet.standard(marketContext: false)

    /// Features at or before `cut` are identical whether the data after `cut` is removed, kept,
    /// or replaced by different data (no look-ahead).
    @Test func noLookAhead() throws {
        let full = SyntheticMarket.candles(seed: 1, count: (Self.e + 2600))
        let cut = (Self.e + 2400)
        let altered = Array(full.prefix(cut + 1)) + SyntheticMarket.candles(seed: 99, count: (Self.e + 2600), startPrice: 300).suffix(from: cut + 1)
        let truncated = Array(full.prefix(cut + 1))
        let reference = try FeatureBatch.features(featureSet: Self.featureSet, candles: full)
        let fromAltered = try FeatureBatch.features(featureSet: Self.featureSet, candles: altered)
        let fromTruncated = try FeatureBatch.features(featureSet: Self.featureSet, candles: truncated)
        #expect(reference[cut] != nil)
        for index in 0...cut {
            #expect(reference[index] == fromTruncated[index])
            #expect(reference[index] == fromAltered[index])
        }
        #expect(reference[cut + 1] != fromAltered[cut + 1])
    }

    /// Same with a market context: altering the context symbol's future leaves the past alone.
    @Test func noLookAheadWithContext() throws {
        let featureSet = FeatureSet.standard(marketContext: true)
        let asset = SyntheticMarket.candles(seed: 2, count: (Self.e + 2500))
        let context = SyntheticMarket.candles(seed: 3, count: (Self.e + 2500), startPrice: 90_000)
        let cut = (Self.e + 2300)
        let alteredContext = Array(context.prefix(cut + 1)) + SyntheticMarket.candles(seed: 4, count: (Self.e + 2500), startPrice: 50_000).suffix(from: cut + 1)
        let reference = try FeatureBatch.features(featureSet: featureSet, candles: asset, contexts: FeatureBatch.contextSnapshots(candles: context))
        let altered = try FeatureBatch.features(featureSet: featureSet, candles: asset, contexts: FeatureBatch.contextSnapshots(candles: alteredContext))
        let contextColumn = featureSet.names.firstIndex(of: "context.return_60m")!
        #expect(reference[cut]?.values[contextColumn].isFinite == true)
        // context features use the previous minute's context: bar cut+1 still sees only data ≤ cut
        for index in 0...(cut + 1) { #expect(reference[index] == altered[index]) }
        #expect(reference[cut + 2] != altered[cut + 2])
    }

    /// Driving the engine candle by candle gives exactly what the batch helper gives.
    @Test func incrementalMatchesBatch() throws {
        let candles = SyntheticMarket.candles(seed: 5, count: (Self.e + 2400))
        let funding = [FundingRate(fundingTime: candles[(Self.e + 2200)].openTime, rate: Rate(raw: 10_000))]
        let batch = try FeatureBatch.features(featureSet: Self.featureSet, candles: candles, funding: funding)
        var engine = FeatureEngine(featureSet: Self.featureSet)
        var warm = 0
        for (index, candle) in candles.enumerated() {
            let fundingNow: Rate? = index == (Self.e + 2199) ? Rate(raw: 10_000) : nil  // known at the close of bar e + 2199 = e + 2200's open
            let vector = try engine.onCandle(candle, funding: fundingNow)
            #expect(vector == batch[index])
            if vector != nil { warm += 1 }
        }
        #expect(warm > 200)
        let fundingColumn = Self.featureSet.names.firstIndex(of: "funding.rate")!
        #expect(batch[(Self.e + 2198)]?.values[fundingColumn].isNaN == true)
        #expect(batch[(Self.e + 2199)]?.values[fundingColumn] == 0.0001)
    }

    /// Hour features only change when an hour completes; every vector has the set's width.
    @Test func higherTimeframesUseCompletedBarsOnly() throws {
        let candles = SyntheticMarket.candles(seed: 6, count: (Self.e + 2400))
        let vectors = try FeatureBatch.features(featureSet: Self.featureSet, candles: candles)
        let hourColumn = Self.featureSet.names.firstIndex(of: "h1.return_1")!
        for index in (Self.e + 2200)..<(Self.e + 2399) {
            guard let now = vectors[index], let next = vectors[index + 1] else { Issue.record("warm vectors expected"); return }
            #expect(now.values.count == Self.featureSet.count)
            let nextCloseMinute = (next.time.milliseconds / 60_000) % 60
            if nextCloseMinute != 0 { #expect(now.values[hourColumn] == next.values[hourColumn]) }
        }
    }

    @Test func outOfOrderCandleIsRejected() throws {
        let candles = SyntheticMarket.candles(seed: 7, count: 3)
        var engine = FeatureEngine(featureSet: Self.featureSet)
        _ = try engine.onCandle(candles[1])
        #expect(throws: FeatureEngineError.self) { _ = try engine.onCandle(candles[0]) }
    }

    @Test func aggregatorEmitsOnLastMinute() {
        var aggregator = TimeframeAggregator(intervalMs: 300_000)
        let minutes = SyntheticMarket.candles(seed: 8, count: 10).map(FeatureBar.init(oneMinute:))
        var emitted: [Int] = []
        for (index, minute) in minutes.enumerated() where !aggregator.append(minute).isEmpty { emitted.append(index) }
        #expect(emitted == [4, 9])
    }
}
