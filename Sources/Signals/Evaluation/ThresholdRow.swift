/// Out-of-sample trading figures at one confidence threshold.
public struct ThresholdRow: Sendable, Hashable, Codable {
    public var threshold: Double
    /// Samples on which the rule traded.
    public var trades: Int
    /// trades / samples.
    public var coverage: Double
    /// Fraction of trades whose label equals the traded side; nil without trades.
    public var precision: Double?
    /// Mean barrier return after fees per trade (price-move fraction); nil without trades.
    public var expectancy: Double?
    /// expectancy − 1.96 × standard error; nil with fewer than two trades.
    public var expectancyLowerBound: Double?
    /// Sum of per-trade returns (price-move fractions, not compounded).
    public var totalReturn: Double
    /// True when this threshold beats every baseline after fees (see `EdgeCriterion`).
    public var beatsBaselines: Bool

    /// Figures for the trades `sides[i]` (nil = no trade) against the samples.
    public static func compute(threshold: Double, sides: [SignalClass], samples: [LabeledSample]) -> ThresholdRow {
        var returns: [Double] = []
        var correct = 0
        for (index, decided) in sides.enumerated() {
            guard let side = decided.side else { continue }
            returns.append(samples[index].realizedReturn(side))
            if samples[index].label == decided { correct += 1 }
        }
        let count = returns.count
        let mean = count > 0 ? returns.reduce(0, +) / Double(count) : nil
        var lower: Double?
        if let mean, count > 1 {
            let variance = returns.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(count - 1)
            lower = mean - 1.96 * (variance / Double(count)).squareRoot()
        }
        return ThresholdRow(threshold: threshold, trades: count, coverage: samples.isEmpty ? 0 : Double(count) / Double(samples.count),
                            precision: count > 0 ? Double(correct) / Double(count) : nil, expectancy: mean,
                            expectancyLowerBound: lower, totalReturn: returns.reduce(0, +), beatsBaselines: false)
    }
}

/// When a threshold counts as an edge: at least `minimumTrades` trades, the 95% lower bound of
/// its expectancy after fees above zero, and its expectancy above every baseline's.
public struct EdgeCriterion: Sendable, Hashable, Codable {
    public var minimumTrades: Int
    public init(minimumTrades: Int = 30) { self.minimumTrades = minimumTrades }

    public func beats(_ row: ThresholdRow, baselines: [BaselineEvaluation]) -> Bool {
        guard row.trades >= minimumTrades, let expectancy = row.expectancy, let lower = row.expectancyLowerBound, lower > 0 else {
            return false
        }
        return baselines.allSatisfy { expectancy > ($0.trading.expectancy ?? 0) }
    }
}
