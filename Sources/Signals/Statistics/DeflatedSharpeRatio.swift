#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The deflated Sharpe ratio (Bailey & López de Prado 2014): the probability that the true
/// Sharpe ratio of the chosen configuration exceeds the best one would expect from `N` trials
/// of no skill, correcting for a short, skewed, fat-tailed track record.
///
/// With `SR` the per-trade Sharpe ratio of the chosen configuration's `T` returns (mean / sample
/// sd), `γ3` their skewness and `γ4` their (non-excess) kurtosis (`SampleMoments`), `V` the sample
/// variance (n − 1) of the Sharpe ratios of the `N` configurations tried, `γ` Euler–Mascheroni:
///
///     SR0 = √V · ((1 − γ) · Φ⁻¹(1 − 1/N) + γ · Φ⁻¹(1 − 1/(N·e)))      (0 when N ≤ 1)
///     DSR = Φ( (SR − SR0) · √(T − 1) / √(1 − γ3·SR + (γ4 − 1)/4 · SR²) )
///
/// `DSR ≥ 0.95` is the report's bar for "the Sharpe ratio survives the number of trials".
public struct DeflatedSharpeRatio: Sendable, Hashable, Codable {
    public var sharpeRatio: Double
    public var observations: Int
    public var skewness: Double
    public var kurtosis: Double
    public var trials: Int
    public var trialSharpeVariance: Double
    /// SR0: the expected maximum Sharpe ratio of `trials` unskilled configurations.
    public var expectedMaximumSharpe: Double
    /// The deflated Sharpe ratio (a probability).
    public var probability: Double

    public static let eulerMascheroni = 0.5772156649015329

    /// nil with fewer than 3 returns, zero variance, or a non-positive variance term.
    public static func compute(returns: [Double], trialSharpeRatios: [Double], trials: Int) -> DeflatedSharpeRatio? {
        guard returns.count >= 3, let moments = SampleMoments(returns) else { return nil }
        let sharpe = moments.sharpeRatio
        let finite = trialSharpeRatios.filter(\.isFinite)
        var variance = 0.0
        if finite.count >= 2 {
            let mean = finite.reduce(0, +) / Double(finite.count)
            variance = finite.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(finite.count - 1)
        }
        let n = Double(trials)
        let gamma = eulerMascheroni
        let expectedMaximum = trials <= 1 ? 0
            : variance.squareRoot() * ((1 - gamma) * NormalDistribution.quantile(1 - 1 / n) + gamma * NormalDistribution.quantile(1 - 1 / (n * M_E)))
        let radicand = 1 - moments.skewness * sharpe + (moments.kurtosis - 1) / 4 * sharpe * sharpe
        guard radicand > 0 else { return nil }
        let z = (sharpe - expectedMaximum) * Double(returns.count - 1).squareRoot() / radicand.squareRoot()
        return DeflatedSharpeRatio(sharpeRatio: sharpe, observations: returns.count, skewness: moments.skewness, kurtosis: moments.kurtosis,
                                   trials: trials, trialSharpeVariance: variance, expectedMaximumSharpe: expectedMaximum,
                                   probability: NormalDistribution.cdf(z))
    }
}
