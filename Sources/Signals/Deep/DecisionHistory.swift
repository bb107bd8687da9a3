import TradingModel

/// The recent decision-bar feature vectors of each symbol, so the deep members get the same past
/// window live (backtest, paper, live) as in training. Keeps `steps` decision intervals per
/// symbol: O(steps) memory per symbol, O(1) per recorded vector.
///
/// Training windows hold the dataset's samples (decision bars whose label could be computed);
/// live windows hold every decision bar with features. They differ only where training dropped a
/// bar for a gap in its label window, which live cannot know in advance.
public struct DecisionHistory: Sendable {
    public let steps: Int
    public let decisionIntervalMinutes: Int
    public let futureSteps: Int
    private var vectors: [Symbol: [Int64: [Double]]] = [:]

    public init(steps: Int, decisionIntervalMinutes: Int, futureSteps: Int) {
        self.steps = max(1, steps)
        self.decisionIntervalMinutes = max(1, decisionIntervalMinutes)
        self.futureSteps = max(1, futureSteps)
    }

    private var intervalMs: Int64 { Int64(decisionIntervalMinutes) * 60_000 }

    /// Records a decision bar's vector and forgets the symbol's vectors older than the window.
    public mutating func record(_ vector: FeatureVector, symbol: Symbol) {
        let time = vector.time.milliseconds
        var recent = vectors[symbol] ?? [:]
        recent[time] = vector.values
        let oldest = time - Int64(steps - 1) * intervalMs
        if recent.count > steps { recent = recent.filter { $0.key >= oldest } }
        vectors[symbol] = recent
    }

    /// The one-row window ending at `vector` (which must have been recorded).
    public func windows(for vector: FeatureVector, symbol: Symbol) -> SequenceWindows {
        var result = SequenceWindows(steps: steps, channels: vector.values.count + 1, futureSteps: futureSteps, past: [], future: [],
                                     times: [vector.time], endTimes: [vector.time], targets: [])
        let recent = vectors[symbol] ?? [:]
        SequenceWindows.appendWindow(to: &result, time: vector.time, intervalMs: intervalMs) { recent[$0] }
        return result
    }
}
