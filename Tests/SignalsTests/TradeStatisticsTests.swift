import Signals
import Testing
import TradingModel
import TradingTestSupport

/// Trades one position per symbol at a time could take, and the bounds of their expectancy.
@Suite(.ownThread) struct TradeStatisticsTests {
    static let symbol: Symbol = "TESTUSDT"
    static let start: Int64 = 1_767_225_600_000  // 2026-01-01T00:00Z

    /// Decisions every 15 minutes for `days` days, 4-hour labels: within each 4-hour episode all
    /// 16 decisions are the same trade (same return, same exit at the episode's end).
    static func overlappingIdenticalTrades(days: Int, seed: UInt64) -> [LabeledSample] {
        var random = SeededRandom(seed: seed)
        var samples: [LabeledSample] = []
        var episodeReturn = 0.0
        for index in 0..<(days * 96) {
            if index % 16 == 0 { episodeReturn = 0.0005 + 0.008 * random.nextGaussian() }
            let time = Timestamp(milliseconds: start + Int64(index) * 900_000)
            let exit = Timestamp(milliseconds: start + Int64(index / 16 + 1) * 14_400_000)
            samples.append(LabeledSample(symbol: symbol, time: time, endTime: exit, features: [], label: episodeReturn > 0 ? .long : .short,
                                         longReturn: episodeReturn, shortReturn: -episodeReturn, previousReturn: 0,
                                         longExitTime: exit, shortExitTime: exit))
        }
        return samples
    }

    /// The acceptance case: a LONG on every one of 16 overlapping decisions per trade gives the
    /// same trades, count and bound as the non-overlapping subset alone — and the naive bound
    /// that treated the 16 copies as independent would have been about √16 = 4 times narrower.
    @Test func overlappingIdenticalTradesGiveTheBoundOfTheNonOverlappingSubset() throws {
        let samples = Self.overlappingIdenticalTrades(days: 60, seed: 3)
        let bootstrap = DayBlockBootstrap(resamples: 1000, blockDays: 2, seed: 11)
        let window = (samples.first!.time, samples.last!.time)
        let everyDecision = TradeSummary.compute(sides: samples.map { _ in .long }, samples: samples, windowStart: window.0,
                                                 windowEnd: window.1, bootstrap: bootstrap)
        let subsetSides = samples.indices.map { $0 % 16 == 0 ? SignalClass.long : .none }
        let subset = TradeSummary.compute(sides: subsetSides, samples: samples, windowStart: window.0, windowEnd: window.1, bootstrap: bootstrap)
        #expect(everyDecision.signals == 60 * 96 && subset.signals == 60 * 6)
        #expect(everyDecision.trades == 60 * 6 && subset.trades == 60 * 6)
        let wide = try #require(everyDecision.interval), reference = try #require(subset.interval)
        #expect(wide.upper - wide.lower == reference.upper - reference.lower)
        #expect(wide == reference && everyDecision.expectancy == subset.expectancy && everyDecision.totalReturn == subset.totalReturn)
        // What the old bound did: every decision as an independent trade.
        let returns = samples.map(\.longReturn)
        let moments = try #require(SampleMoments(returns))
        let naiveHalfWidth = 1.96 * moments.standardDeviation / Double(returns.count).squareRoot()
        #expect((wide.upper - wide.lower) / 2 > 3 * naiveHalfWidth)
    }

    /// Days without data (a gap in the files, the warm-up after it) are not days without
    /// trades: the same trades with a 10-day hole in the middle of the window get exactly the
    /// interval of the window without the hole, not that of a window padded with 10 empty days.
    @Test func daysWithoutDataAreNotResampled() throws {
        let contiguous = Self.overlappingIdenticalTrades(days: 20, seed: 4)
        let holeMs = 10 * DayBlockBootstrap.dayMs, cut = Timestamp(milliseconds: Self.start + 10 * DayBlockBootstrap.dayMs)
        let gapped = contiguous.map { sample -> LabeledSample in
            guard sample.time >= cut else { return sample }
            var moved = sample
            for keyPath in [\LabeledSample.time, \.endTime, \.longExitTime, \.shortExitTime] {
                moved[keyPath: keyPath] = Timestamp(milliseconds: sample[keyPath: keyPath].milliseconds + holeMs)
            }
            return moved
        }
        let bootstrap = DayBlockBootstrap(resamples: 500, seed: 9)
        func summary(_ samples: [LabeledSample]) -> TradeSummary {
            TradeSummary.compute(sides: samples.map { _ in .long }, samples: samples, windowStart: samples.first!.time,
                                 windowEnd: samples.last!.time, bootstrap: bootstrap)
        }
        let withHole = try #require(summary(gapped).interval), reference = try #require(summary(contiguous).interval)
        #expect(withHole == reference && withHole.days == 20)
        // What counting the hole as 10 days without trades would have given: another interval.
        let trades = PositionGate.select(sides: gapped.map { _ in .long }, samples: gapped)
        let padded = try #require(bootstrap.interval(values: trades.map { ($0.entryTime, $0.netReturn) }, windowStart: gapped.first!.time,
                                                     windowEnd: gapped.last!.time))
        #expect(padded.days == 30 && padded != reference)
    }

    /// One position per symbol: a second symbol's trade may overlap the first's, the same
    /// symbol's may not; a signal at the exact exit time may open.
    @Test func positionGateIsPerSymbol() {
        func sample(_ symbol: Symbol, minute: Int64, exitMinute: Int64) -> LabeledSample {
            let time = Timestamp(milliseconds: Self.start + minute * 60_000), exit = Timestamp(milliseconds: Self.start + exitMinute * 60_000)
            return LabeledSample(symbol: symbol, time: time, endTime: exit, features: [], label: .long, longReturn: 0.01, shortReturn: -0.01,
                                 previousReturn: 0, longExitTime: exit, shortExitTime: Timestamp(milliseconds: exit.milliseconds + 600_000))
        }
        let samples = [sample("AAAUSDT", minute: 0, exitMinute: 30), sample("BBBUSDT", minute: 0, exitMinute: 60),
                       sample("AAAUSDT", minute: 15, exitMinute: 45), sample("AAAUSDT", minute: 30, exitMinute: 75),
                       sample("BBBUSDT", minute: 30, exitMinute: 90), sample("AAAUSDT", minute: 45, exitMinute: 80)]
        let trades = PositionGate.select(sides: [.long, .long, .long, .long, .long, .long], samples: samples)
        #expect(trades.map(\.sampleIndex) == [0, 1, 3])
        // The exit is the traded side's: a short held 10 minutes longer blocks the minute-30 decision.
        let shorts = PositionGate.select(sides: [.short, .none, .none, .short, .none, .short], samples: samples)
        #expect(shorts.map(\.sampleIndex) == [0, 5])
    }

    /// Random entry keeps the model's coverage and long/short mix; the draws are seeded.
    @Test func randomEntryHasTheModelsCoverageAndMix() {
        let draws = BaselineEvaluation.randomSides(count: 20_000, coverage: 0.1, longShare: 0.8, draws: 3, seed: 5)
        for draw in draws {
            let signals = draw.filter { $0 != .none }
            #expect(abs(Double(signals.count) / 20_000 - 0.1) < 0.01)
            #expect(abs(Double(signals.filter { $0 == .long }.count) / Double(signals.count) - 0.8) < 0.03)
        }
        #expect(draws == BaselineEvaluation.randomSides(count: 20_000, coverage: 0.1, longShare: 0.8, draws: 3, seed: 5))
        #expect(draws[0] != draws[1])
    }

    /// The drift rule: 5 points and a factor of 2, on at least 200 decision bars.
    @Test func coverageDriftRule() {
        #expect(CoverageDrift.check(threshold: 0.5, reference: 0.2, signals: 500, decisionBars: 1000).drifted)    // 50% vs 20%
        #expect(!CoverageDrift.check(threshold: 0.5, reference: 0.2, signals: 300, decisionBars: 1000).drifted)   // 30%: not 2x
        #expect(!CoverageDrift.check(threshold: 0.9, reference: 0.01, signals: 40, decisionBars: 1000).drifted)   // 4%: 3 points only
        #expect(CoverageDrift.check(threshold: 0.5, reference: 0.3, signals: 100, decisionBars: 1000).drifted)    // 10% ≤ 15%, 20 points
        #expect(!CoverageDrift.check(threshold: 0.5, reference: 0.2, signals: 50, decisionBars: 100).drifted)     // too few bars
    }

    /// Regime splits by hand: volatility terciles over all decision bars, the EMA-50 side, the hour.
    @Test func regimeSplitsByHand() {
        let featureSet = FeatureSet.standard(marketContext: false)
        let volatility = featureSet.names.firstIndex(of: "h1.realized_volatility")!, trend = featureSet.names.firstIndex(of: "h1.ema50_distance")!
        // Six decision bars, volatility 1...6 (terciles cut at 2.667 and 4.333), alternating trend,
        // at 01:00, 05:00, 07:00, 13:00, 19:00, 23:00 UTC.
        let hours: [Int64] = [1, 5, 7, 13, 19, 23]
        var samples: [LabeledSample] = []
        for index in 0..<6 {
            var features = Array(repeating: 0.0, count: featureSet.count)
            features[volatility] = Double(index + 1)
            features[trend] = index % 2 == 0 ? 0.01 : -0.01
            let time = Timestamp(milliseconds: Self.start + hours[index] * 3_600_000)
            samples.append(LabeledSample(symbol: Self.symbol, time: time, endTime: time, features: features, label: .long,
                                         longReturn: Double(index + 1) / 1000, shortReturn: -Double(index + 1) / 1000, previousReturn: 0))
        }
        // Trades on bars 0 (long), 3 (short) and 5 (long).
        let trades = PositionGate.select(sides: [.long, .none, .none, .short, .none, .long], samples: samples)
        let splits = RegimeSplit.compute(trades: trades, samples: samples, featureSet: featureSet)
        func split(_ dimension: String, _ bucket: String) -> RegimeSplit? { splits.first { $0.dimension == dimension && $0.bucket.hasPrefix(bucket) } }
        #expect(split("volatility", "low")?.long.trades == 1 && split("volatility", "low")?.trades == 1)          // bar 0 (1)
        #expect(split("volatility", "middle")?.short.trades == 1 && split("volatility", "middle")?.trades == 1)   // bar 3 (4)
        #expect(split("volatility", "high")?.long.trades == 1)                                                   // bar 5 (6)
        #expect(split("trend", "up")?.trades == 1 && split("trend", "down")?.trades == 2)                        // bar 0 up; 3, 5 down
        #expect(split("hour (UTC)", "00-06")?.trades == 1 && split("hour (UTC)", "12-18")?.trades == 1 && split("hour (UTC)", "18-24")?.trades == 1)
        // bar 3 short: −0.004; bar 5 long: +0.006 → down expectancy +0.001
        #expect(abs((split("trend", "down")?.expectancy ?? 0) - 0.001) < 1e-12)
    }

    /// Reliability bins: hand-computed ECE and an interval around each observed frequency.
    @Test func reliabilityPerBinWithIntervals() throws {
        // 10 days × 10 points at p = 0.25 (observed 2 of 10 per day) and 0.85 (observed 9 of 10).
        var points: [(time: Timestamp, probability: Double, hit: Bool)] = []
        for day in 0..<10 {
            for k in 0..<10 {
                let time = Timestamp(milliseconds: Self.start + Int64(day) * 86_400_000 + Int64(k) * 60_000)
                points.append((time, 0.25, k < 2))
                points.append((time, 0.85, k < 9))
            }
        }
        let diagram = ReliabilityDiagram.compute(name: "LONG", points: points, lower: 0, upper: 1, windowStart: points[0].time,
                                                 windowEnd: points.last!.time, bootstrap: DayBlockBootstrap(resamples: 300, seed: 1))
        #expect(diagram.bins.count == 2 && diagram.samples == 200)
        // ECE = ½·|0.25 − 0.2| + ½·|0.85 − 0.9| = 0.05
        #expect(abs(diagram.expectedCalibrationError - 0.05) < 1e-12)
        for bin in diagram.bins {
            // every day has the same frequency: the interval collapses onto it
            #expect(abs(try #require(bin.observedLower) - bin.observedFrequency) < 1e-12)
            #expect(abs(try #require(bin.observedUpper) - bin.observedFrequency) < 1e-12)
        }
    }
}
