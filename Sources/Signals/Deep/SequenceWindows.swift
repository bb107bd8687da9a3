import Foundation
import TradingModel

/// Inputs of the deep forecasters for a set of rows, beside a `FeatureMatrix`'s features.
///
/// Past window (`past`, rows × `steps` × `channels`, oldest step first): the symbol's feature
/// vectors at the decision bars `t − (steps−1)·interval … t`, each followed by a presence flag
/// (1 when that bar has a sample, else all zeros: warm-up, a gap, a dropped bar); NaN optional
/// features become 0. The last step is always the row's own features: nothing after `t` enters.
/// Known-future inputs (`future`, rows × `futureSteps` × 4, TFT): minute-of-day and day-of-week
/// (sine, cosine) of the decision bars `t + interval … t + futureSteps·interval` — calendar
/// values only, known in advance.
/// `targets`: the rows' forward-return targets (`BarrierQuantiles.target`), empty when predicting.
public struct SequenceWindows: Sendable {
    public static let futureChannels = 4
    public let steps: Int
    public let channels: Int
    public let futureSteps: Int
    public var past: [Float]
    public var future: [Float]
    public var times: [Timestamp]
    public var endTimes: [Timestamp]
    public var targets: [Double]

    public var rowCount: Int { times.count }

    /// Future decision steps covering the label horizon (at least 1, at most 32).
    public static func futureSteps(labelSettings: TripleBarrierSettings, decisionIntervalMinutes: Int) -> Int {
        let interval = max(1, decisionIntervalMinutes)
        return min(32, max(1, (labelSettings.horizonBars + interval - 1) / interval))
    }

    /// The rows at `positions` (in order), for the training split.
    public func subset(_ positions: [Int]) -> SequenceWindows {
        let pastSize = steps * channels, futureSize = futureSteps * Self.futureChannels
        var result = SequenceWindows(steps: steps, channels: channels, futureSteps: futureSteps, past: [], future: [], times: [],
                                     endTimes: [], targets: [])
        result.past.reserveCapacity(positions.count * pastSize)
        result.future.reserveCapacity(positions.count * futureSize)
        for position in positions {
            result.past += past[(position * pastSize)..<((position + 1) * pastSize)]
            result.future += future[(position * futureSize)..<((position + 1) * futureSize)]
            result.times.append(times[position])
            result.endTimes.append(endTimes[position])
            if !targets.isEmpty { result.targets.append(targets[position]) }
        }
        return result
    }

    /// Appends one row's past window and known-future inputs; `features(t)` gives the symbol's
    /// feature vector at decision time `t` (ms) or nil. Training (`SequenceIndex`) and live
    /// prediction (`DecisionHistory`) both build windows here, so they cannot drift apart.
    static func appendWindow(to result: inout SequenceWindows, time: Timestamp, intervalMs: Int64, features: (Int64) -> [Double]?) {
        for step in 0..<result.steps {
            if let values = features(time.milliseconds - Int64(result.steps - 1 - step) * intervalMs) {
                result.past += values.map { $0.isFinite ? Float($0) : 0 }
                result.past.append(1)
            } else {
                result.past += repeatElement(0, count: result.channels)
            }
        }
        for step in 1...result.futureSteps {
            result.future += calendar(milliseconds: time.milliseconds + Int64(step) * intervalMs)
        }
    }

    /// Calendar inputs of one instant: minute of day and day of week as (sine, cosine).
    static func calendar(milliseconds: Int64) -> [Float] {
        let minute = Double((milliseconds / 60_000) % 1440), day = Double((milliseconds / 86_400_000) % 7)
        let minuteAngle = 2 * Double.pi * minute / 1440, dayAngle = 2 * Double.pi * day / 7
        return [Float(sin(minuteAngle)), Float(cos(minuteAngle)), Float(sin(dayAngle)), Float(cos(dayAngle))]
    }
}

/// Finds each sample's predecessors of the same symbol by decision time, to build windows.
public struct SequenceIndex: Sendable {
    private let samples: [LabeledSample]
    private let positions: [Symbol: [Int64: Int]]

    public init(samples: [LabeledSample]) {
        self.samples = samples
        var positions: [Symbol: [Int64: Int]] = [:]
        for (index, sample) in samples.enumerated() { positions[sample.symbol, default: [:]][sample.time.milliseconds] = index }
        self.positions = positions
    }

    /// Windows for the samples at `rows`, with targets when `labelSettings` is given.
    public func windows(rows: [Int], steps: Int, decisionIntervalMinutes: Int, futureSteps: Int,
                        targetsFor labelSettings: TripleBarrierSettings?) -> SequenceWindows {
        let featureCount = samples.first?.features.count ?? 0
        let channels = featureCount + 1
        let intervalMs = Int64(decisionIntervalMinutes) * 60_000
        var result = SequenceWindows(steps: steps, channels: channels, futureSteps: futureSteps, past: [], future: [], times: [],
                                     endTimes: [], targets: [])
        result.past.reserveCapacity(rows.count * steps * channels)
        result.future.reserveCapacity(rows.count * futureSteps * SequenceWindows.futureChannels)
        for row in rows {
            let sample = samples[row]
            let bySymbol = positions[sample.symbol] ?? [:]
            SequenceWindows.appendWindow(to: &result, time: sample.time, intervalMs: intervalMs) { time in
                bySymbol[time].map { samples[$0].features }
            }
            result.times.append(sample.time)
            result.endTimes.append(sample.endTime)
            if let labelSettings { result.targets.append(BarrierQuantiles.target(sample, settings: labelSettings)) }
        }
        return result
    }
}
