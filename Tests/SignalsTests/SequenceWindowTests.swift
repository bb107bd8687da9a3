import Foundation
import Signals
import Testing
import TradingModel
import TradingTestSupport

/// Sequence windows of the deep models (no libtorch needed) and the quantile-to-class mapping.
@Suite(.ownThread) struct SequenceWindowTests {
    static let interval: Int64 = 15 * 60_000

    static func samples(count: Int, symbols: [Symbol] = ["AAAUSDT", "BBBUSDT"], skip: Set<Int> = []) -> [LabeledSample] {
        var result: [LabeledSample] = []
        for step in 0..<count where !skip.contains(step) {
            for (offset, symbol) in symbols.enumerated() {
                let time = Timestamp(milliseconds: 1_700_000_100_000 / interval * interval + Int64(step) * interval)
                result.append(LabeledSample(symbol: symbol, time: time, endTime: Timestamp(milliseconds: time.milliseconds + 4 * interval),
                                            features: [Double(step), Double(offset), step % 3 == 0 ? .nan : 1], label: .none,
                                            longReturn: 0, shortReturn: 0, previousReturn: 0))
            }
        }
        return result
    }

    func windows(_ samples: [LabeledSample], rows: [Int], steps: Int = 4) -> SequenceWindows {
        SequenceIndex(samples: samples).windows(rows: rows, steps: steps, decisionIntervalMinutes: 15, futureSteps: 2, targetsFor: nil)
    }

    @Test func windowEndsWithTheRowsOwnFeaturesAndUsesOnlyItsSymbolsPast() {
        let samples = Self.samples(count: 10)
        let row = samples.firstIndex { $0.symbol == "BBBUSDT" && $0.features[0] == 6 }!
        let window = windows(samples, rows: [row])
        #expect(window.channels == 4)
        // Steps 3, 4, 5, 6 of BBBUSDT (offset 1), oldest first, presence 1; NaN becomes 0.
        #expect(window.past == [3, 1, 0, 1, 4, 1, 1, 1, 5, 1, 1, 1, 6, 1, 0, 1])
    }

    @Test func missingPredecessorsAreZeroWithPresenceZero() {
        let samples = Self.samples(count: 10, symbols: ["AAAUSDT"], skip: [4])
        let row = samples.firstIndex { $0.features[0] == 5 }!
        let window = windows(samples, rows: [row], steps: 3)
        #expect(window.past == [3, 0, 0, 1, 0, 0, 0, 0, 5, 0, 1, 1])
        let first = windows(samples, rows: [0], steps: 2)
        #expect(first.past == [0, 0, 0, 0, 0, 0, 0, 1])
    }

    /// Look-ahead: changing every sample after a row's decision time (features, labels, returns,
    /// other symbols) leaves its window and known-future inputs bit-identical.
    @Test func windowsDoNotLookAhead() {
        let samples = Self.samples(count: 30)
        let rows = Array(samples.indices)
        let reference = windows(samples, rows: rows, steps: 8)
        for row in stride(from: 0, to: samples.count, by: 7) {
            let cutoff = samples[row].time
            var altered = samples
            for index in altered.indices where altered[index].time > cutoff {
                altered[index].features = altered[index].features.map { _ in 1e6 }
                altered[index].label = .long
                altered[index].longReturn = 0.5
            }
            let window = windows(altered, rows: [row], steps: 8)
            let size = 8 * reference.channels
            #expect(window.past == Array(reference.past[(row * size)..<((row + 1) * size)]))
            #expect(window.future == Array(reference.future[(row * 8)..<((row + 1) * 8)]))
        }
    }

    /// Live windows (`DecisionHistory`, fed one decision bar at a time) equal the training windows
    /// (`SequenceIndex`) of the same bars, gaps included, and memory stays bounded.
    @Test func liveWindowsEqualTrainingWindows() {
        let samples = Self.samples(count: 40, symbols: ["AAAUSDT"], skip: [7, 8, 20])
        var history = DecisionHistory(steps: 6, decisionIntervalMinutes: 15, futureSteps: 2)
        for (row, sample) in samples.enumerated() {
            let vector = FeatureVector(featureSetName: "t", featureSetVersion: 1, time: sample.time, values: sample.features)
            history.record(vector, symbol: sample.symbol)
            let live = history.windows(for: vector, symbol: sample.symbol)
            let training = windows(samples, rows: [row], steps: 6)
            #expect(live.past.map(\.bitPattern) == training.past.map(\.bitPattern), "row \(row)")
            #expect(live.future == training.future)
        }
    }

    @Test func futureInputsAreTheCalendarOfTheNextDecisionBars() {
        let samples = Self.samples(count: 3, symbols: ["AAAUSDT"])
        let window = windows(samples, rows: [0])
        let next = samples[0].time.milliseconds + Self.interval
        let minute = Double((next / 60_000) % 1440)
        #expect(abs(Double(window.future[0]) - sin(2 * Double.pi * minute / 1440)) < 1e-6)
        #expect(window.future.count == 8)
    }

    @Test func targetsFollowTheBarrierLabels() {
        let settings = TripleBarrierSettings()
        var sample = Self.samples(count: 1, symbols: ["AAAUSDT"])[0]
        sample.label = .long
        #expect(BarrierQuantiles.target(sample, settings: settings) == settings.takeProfitPriceMove)
        sample.label = .short
        #expect(BarrierQuantiles.target(sample, settings: settings) == -settings.takeProfitPriceMove)
        sample.label = .none
        sample.longReturn = -0.0132  // a stopped long after costs: clamped inside the NONE region
        #expect(abs(BarrierQuantiles.target(sample, settings: settings) + 0.9 * settings.takeProfitPriceMove) < 1e-12)
        sample.longReturn = 0.001 - 0.0014
        #expect(abs(BarrierQuantiles.target(sample, settings: settings) - 0.001) < 1e-12)
    }

    @Test func quantilesMapToClassRegions() {
        let settings = TripleBarrierSettings()
        let tp = settings.takeProfitPriceMove
        let levels = [0.1, 0.3, 0.5, 0.7, 0.9]
        let allLong = BarrierQuantiles.probabilities(quantiles: levels.map { _ in tp }, levels: levels, settings: settings)
        #expect(allLong.long > 0.89 && allLong.short == 0)
        let flat = BarrierQuantiles.probabilities(quantiles: [-0.002, -0.001, 0, 0.001, 0.002], levels: levels, settings: settings)
        #expect(flat.none == 1)
        // Median at 0, 90% quantile well beyond the barrier: P(LONG) between 0.1 and 0.3.
        let skewed = BarrierQuantiles.probabilities(quantiles: [-0.004, -0.002, 0, 0.006, 0.02], levels: levels, settings: settings)
        #expect(skewed.long > 0.1 && skewed.long < 0.3 && skewed.short == 0)
        #expect(abs(skewed.values.reduce(0, +) - 1) < 1e-12)
        // Crossing quantiles are sorted first.
        let crossing = BarrierQuantiles.probabilities(quantiles: [0.02, 0.006, 0, -0.002, -0.004], levels: levels, settings: settings)
        #expect(crossing == skewed)
    }

    @Test func aMissingPluginIsAClearError() {
        #expect {
            _ = try DeepPlugin.open(path: "/nonexistent/libqtdeep.so")
        } throws: { error in
            "\(error)".contains("make bootstrap") && "\(error)".contains("nhits")
        }
        #expect(DeepPlugin.candidatePaths(environment: ["QT_DEEP_PLUGIN": "/x/libqtdeep.so"]) == ["/x/libqtdeep.so"])
    }
}
