import TradingModel

/// A baseline a trader would compare the model with, on the same out-of-sample decision bars,
/// after the same costs and through the same position gate (one position per symbol at a time).
///
/// - `always-long` / `always-short`: a signal on every decision bar (the gate takes one whenever
///   flat) — the drift bet a model can hide.
/// - `previous-return-sign`: the sign of the last decision interval's return (momentum).
/// - `random-entry`: per fold, each decision bar signals with probability = the model's coverage
///   at its chosen threshold in that fold, LONG with probability = the model's share of LONG
///   signals there; `draws` seeded draws. Its figures are the mean over draws; `modelPValue` is
///   `(1 + #{draws with expectancy ≥ the model's}) / (draws + 1)`: timing skill beyond the model's
///   coverage and long/short mix.
public struct BaselineEvaluation: Sendable, Hashable, Codable {
    public var name: String
    /// Deterministic baselines: their figures. Random entry: the first draw (for illustration).
    public var summary: TradeSummary
    /// Random entry only.
    public var random: RandomDraws?

    /// The expectancy to beat: the mean over draws for random entry, else the summary's.
    public var comparableExpectancy: Double? { random?.meanExpectancy ?? summary.expectancy }

    public static let names = ["always-long", "always-short", "previous-return-sign", "random-entry"]

    /// Sides of the deterministic baselines for `samples`.
    public static func deterministicSides(samples: [LabeledSample]) -> [(name: String, sides: [SignalClass])] {
        [("always-long", samples.map { _ in .long }), ("always-short", samples.map { _ in .short }),
         ("previous-return-sign", samples.map { $0.previousReturn > 0 ? .long : $0.previousReturn < 0 ? .short : .none })]
    }

    /// Sides of `draws` random-entry draws with the model's coverage and long share.
    public static func randomSides(count: Int, coverage: Double, longShare: Double, draws: Int, seed: UInt64) -> [[SignalClass]] {
        var random = SeededRandom(seed: seed)
        return (0..<draws).map { _ in
            (0..<count).map { _ in
                let signals = random.nextUnit() < coverage
                let long = random.nextUnit() < longShare
                return signals ? (long ? .long : .short) : .none
            }
        }
    }
}

/// Figures of the random-entry baseline over its draws.
public struct RandomDraws: Sendable, Hashable, Codable {
    public var draws: Int
    public var meanTrades: Double
    public var meanLongTrades: Double
    public var meanShortTrades: Double
    /// Mean over draws of each draw's expectancy (draws without trades skipped).
    public var meanExpectancy: Double?
    /// 2.5% and 97.5% quantiles of the draws' expectancies.
    public var lower: Double?
    public var upper: Double?
    /// One-sided p-value of the model's expectancy against the draws; nil without model trades.
    public var modelPValue: Double?

    public init(summaries: [TradeSummary], modelExpectancy: Double?) {
        draws = summaries.count
        let n = Double(max(1, summaries.count))
        meanTrades = Double(summaries.reduce(0) { $0 + $1.trades }) / n
        meanLongTrades = Double(summaries.reduce(0) { $0 + $1.long.trades }) / n
        meanShortTrades = Double(summaries.reduce(0) { $0 + $1.short.trades }) / n
        let expectancies = summaries.compactMap(\.expectancy).sorted()
        meanExpectancy = expectancies.isEmpty ? nil : expectancies.reduce(0, +) / Double(expectancies.count)
        lower = expectancies.isEmpty ? nil : DayBlockBootstrap.quantile(expectancies, 0.025)
        upper = expectancies.isEmpty ? nil : DayBlockBootstrap.quantile(expectancies, 0.975)
        if let modelExpectancy, !expectancies.isEmpty {
            let atLeast = expectancies.filter { $0 >= modelExpectancy }.count
            modelPValue = Double(1 + atLeast) / Double(expectancies.count + 1)
        }
    }
}
