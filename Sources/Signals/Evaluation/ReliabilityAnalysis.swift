import TradingModel

/// Calibration where it matters: one reliability diagram per class (one-vs-rest) and one for
/// the probabilities that would trade, each bin with a day-block bootstrap interval of its
/// observed frequency, and the expected calibration error of each.
///
/// Bins: 10 equal-width bins of the class probability over [0, 1]; for the trading diagram 10
/// bins of the traded side's probability over [0.5, 1] (0.05 wide) with "observed" = the label
/// was that side. ECE = Σ_bins (n_b / n) · |mean probability_b − observed frequency_b|. The
/// interval of a bin's frequency resamples whole days (`DayBlockBootstrap`), because decision
/// bars of one day share outcomes; bins with fewer than 2 days of data have none.
public struct ReliabilityDiagram: Sendable, Hashable, Codable {
    /// `NONE`, `LONG`, `SHORT`, or `traded` (the side a signal took).
    public var name: String
    public var bins: [ReliabilityBin]
    public var expectedCalibrationError: Double
    public var samples: Int

    /// - Parameters:
    ///   - points: (time, probability, outcome) per sample.
    public static func compute(name: String, points: [(time: Timestamp, probability: Double, hit: Bool)], lower: Double, upper: Double,
                               binCount: Int = 10, windowStart: Timestamp, windowEnd: Timestamp,
                               bootstrap: DayBlockBootstrap, observedDays: Set<Int64>? = nil) -> ReliabilityDiagram {
        let width = (upper - lower) / Double(binCount)
        var grouped = Array(repeating: [(time: Timestamp, probability: Double, hit: Bool)](), count: binCount)
        for point in points where point.probability.isFinite {
            let bin = min(binCount - 1, max(0, Int((point.probability - lower) / width)))
            grouped[bin].append(point)
        }
        var bins: [ReliabilityBin] = []
        var ece = 0.0
        let total = Double(max(1, grouped.reduce(0) { $0 + $1.count }))
        for (index, members) in grouped.enumerated() where !members.isEmpty {
            let n = Double(members.count)
            let meanProbability = members.reduce(0) { $0 + $1.probability } / n
            let observed = Double(members.filter(\.hit).count) / n
            ece += n / total * abs(meanProbability - observed)
            var bootstrapOfBin = bootstrap
            bootstrapOfBin.seed = bootstrap.seed &+ UInt64(index)
            let interval = Set(members.map { DayBlockBootstrap.day($0.time) }).count >= 2
                ? bootstrapOfBin.interval(values: members.map { ($0.time, $0.hit ? 1.0 : 0.0) }, windowStart: windowStart, windowEnd: windowEnd,
                                          observedDays: observedDays)
                : nil
            bins.append(ReliabilityBin(lower: lower + Double(index) * width, upper: lower + Double(index + 1) * width, samples: members.count,
                                       meanConfidence: meanProbability, observedFrequency: observed,
                                       observedLower: interval?.lower, observedUpper: interval?.upper))
        }
        return ReliabilityDiagram(name: name, bins: bins, expectedCalibrationError: ece, samples: Int(total))
    }

    /// The three class diagrams and the trading one for calibrated `probabilities`, where
    /// `tradedSides[i]` is the side signalled on sample `i` (nil = none).
    public static func all(probabilities: [ClassProbabilities], samples: [LabeledSample], tradedSides: [Side?],
                           windowStart: Timestamp, windowEnd: Timestamp, bootstrap: DayBlockBootstrap) -> [ReliabilityDiagram] {
        let observedDays = DayBlockBootstrap.days(of: samples.map(\.time))
        var diagrams = SignalClass.allCases.map { signalClass in
            compute(name: signalClass.description,
                    points: zip(probabilities, samples).map { ($1.time, $0[signalClass], $1.label == signalClass) },
                    lower: 0, upper: 1, windowStart: windowStart, windowEnd: windowEnd,
                    bootstrap: DayBlockBootstrap(resamples: bootstrap.resamples, blockDays: bootstrap.blockDays,
                                                 seed: bootstrap.seed &+ UInt64(100 * (signalClass.rawValue + 1))),
                    observedDays: observedDays)
        }
        var traded: [(time: Timestamp, probability: Double, hit: Bool)] = []
        for index in samples.indices {
            guard let side = tradedSides[index] else { continue }
            traded.append((samples[index].time, probabilities[index][SignalClass(side)], samples[index].label == SignalClass(side)))
        }
        diagrams.append(compute(name: "traded", points: traded, lower: 0.5, upper: 1, windowStart: windowStart, windowEnd: windowEnd,
                                bootstrap: DayBlockBootstrap(resamples: bootstrap.resamples, blockDays: bootstrap.blockDays,
                                                             seed: bootstrap.seed &+ 400),
                                observedDays: observedDays))
        return diagrams
    }
}
