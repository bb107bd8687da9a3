import Signals
import Testing
import TradingModel
import TradingTestSupport

/// Training restarts its features at gaps and drops labels across them; after the warm-up the
/// features no longer depend on where the data started.
@Suite(.ownThread) struct GapAndWarmUpTests {
    static let symbol: Symbol = "TESTUSDT"

    /// A constructed 30-minute gap: every decision bar whose 60-minute label window spans it is
    /// dropped (counted), no sample's label window contains it, no sample lies within the
    /// warm-up after it, and the samples before it are those of the data cut at the gap.
    @Test func samplesAcrossAGapAreDropped() throws {
        let w = SyntheticMarket.warmUpMinutes
        let all = SyntheticMarket.candles(seed: 12, count: 2 * w + 1500)
        let gapStart = w + 600, gapEnd = w + 630  // minutes gapStart..<gapEnd are missing
        let candles = Array(all[..<gapStart] + all[gapEnd...])
        let labels = SyntheticMarket.testLabels  // 60-minute horizon
        let data = try SignalDataset.build(candles: [Self.symbol: candles], featureSet: .standard(marketContext: false), labelSettings: labels,
                                           decisionIntervalMinutes: 5, contextSource: nil)
        let missingFrom = all[gapStart].openTime, missingTo = all[gapEnd].openTime  // first missing, first after
        // Decisions at closes t with t + 60 min reaching past the last candle before the gap: the
        // closes of minutes gapStart − 60 ... gapStart − 1 on the 5-minute grid: 12 of them.
        #expect(data.droppedForGaps == 12)
        #expect(data.featureRestarts == 1)
        for sample in data.samples {
            let labelEnd = sample.time.milliseconds + Int64(labels.horizonBars) * 60_000
            // the last candle a label reads opens at labelEnd − 1 min: it must precede the first missing one
            #expect(!(sample.time < missingTo && labelEnd > missingFrom.milliseconds), "label across the gap at \(sample.time)")
            #expect(sample.endTime <= missingFrom || sample.time >= missingTo)
        }
        let firstAfter = try #require(data.samples.first { $0.time >= missingTo })
        #expect(firstAfter.time.milliseconds - missingTo.milliseconds >= Int64(FeatureEngine.warmUp.hourBars - 1) * 3_600_000)
        // Before the gap: exactly the samples of the data cut at the gap.
        let before = try SignalDataset.build(candles: [Self.symbol: Array(all[..<gapStart])], featureSet: .standard(marketContext: false),
                                             labelSettings: labels, decisionIntervalMinutes: 5, contextSource: nil)
        let kept = data.samples.filter { $0.time < missingFrom }
        #expect(kept.count == before.samples.count)
        // (bit patterns: the funding feature is NaN without a funding file, and NaN ≠ NaN)
        func same(_ a: LabeledSample, _ b: LabeledSample) -> Bool {
            a.time == b.time && a.endTime == b.endTime && a.label == b.label && a.longReturn == b.longReturn && a.shortReturn == b.shortReturn
                && a.features.map(\.bitPattern) == b.features.map(\.bitPattern)
        }
        #expect(zip(kept, before.samples).allSatisfy { same($0, $1) })
    }

    /// Two runs started 4 days and 7 minutes apart on a trending market give the same features,
    /// within 1e-4 on every feature, from the later run's first vector on (the warm-up); the
    /// seeds' distance shows in the hourly EMA 50 distance, which differed by far more after
    /// the old 35-hour warm-up.
    @Test func twoStartDatesGiveTheSameFeaturesAfterTheWarmUp() throws {
        let offset = 4 * 1440 + 7
        let candles = SyntheticMarket.candles(seed: 21, count: offset + SyntheticMarket.warmUpMinutes + 3000, regimeDrift: 0.0002,
                                              regimeMinutes: 3000, volatility: 0.001)
        let featureSet = FeatureSet.standard(marketContext: false)
        let early = try FeatureBatch.features(featureSet: featureSet, candles: candles)
        let late = try FeatureBatch.features(featureSet: featureSet, candles: Array(candles[offset...]))
        let first = try #require(late.firstIndex { $0 != nil })
        var largest = 0.0
        for index in first..<late.count {
            let a = try #require(early[offset + index]), b = try #require(late[index])
            for (x, y) in zip(a.values, b.values) where x.isFinite || y.isFinite { largest = max(largest, abs(x - y)) }
        }
        #expect(largest <= 1e-4, "largest difference \(largest)")
        #expect(late.count - first > 2500)

        // The hourly indicators alone, after 35 bars (the old warm-up) and after the new one.
        var hoursEarly = TimeframeIndicators(returnLags: [1, 4, 24], volatilityWindow: 24, zScoreWindow: 24)
        var hoursLate = hoursEarly
        let hourly = stride(from: 0, to: candles.count - 59, by: 60).map { start -> FeatureBar in
            let minutes = candles[start..<(start + 60)].map(FeatureBar.init(oneMinute:))
            return FeatureBar(openTime: minutes[0].openTime, durationMs: 3_600_000, open: minutes[0].open, high: minutes.map(\.high).max()!,
                              low: minutes.map(\.low).min()!, close: minutes.last!.close, volume: minutes.reduce(0) { $0 + $1.volume },
                              takerBuyVolume: minutes.reduce(0) { $0 + $1.takerBuyVolume })
        }
        let lateStart = 96
        let ema50 = TimeframeIndicators.featureSuffixes(returnLags: [1, 4, 24]).firstIndex(of: "ema50_distance")!
        var afterOld = 0.0, afterNew = 0.0
        for (index, bar) in hourly.enumerated() {
            hoursEarly.append(bar)
            guard index >= lateStart else { continue }
            hoursLate.append(bar)
            if hoursLate.barCount == 35 { afterOld = abs(hoursEarly.values[ema50] - hoursLate.values[ema50]) }
            if hoursLate.barCount == hoursLate.warmUpBars { afterNew = abs(hoursEarly.values[ema50] - hoursLate.values[ema50]) }
        }
        #expect(hoursLate.warmUpBars == 232 && FeatureEngine.warmUp.hourBars == 232)
        #expect(afterOld > 100 * afterNew && afterOld > 1e-3, "after 35 h \(afterOld), after 232 h \(afterNew)")
        #expect(afterNew <= 1e-4)
    }
}
