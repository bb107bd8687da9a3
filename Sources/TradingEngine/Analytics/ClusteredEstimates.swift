/// Means and proportions with intervals that treat overlapping trades as one cluster.
///
/// The variance of a mean over clustered observations is the cluster-robust (sandwich)
/// estimate `V = C/(C−1) × Σ_c (Σ_{i∈c} (x_i − x̄))² / n²` over `C` clusters; with every trade
/// in its own cluster it is the classic `s²/n`. The interval uses Student's t with `C − 1`
/// degrees of freedom, so a handful of clusters gives a wide interval however many trades
/// they hold.
public enum ClusteredEstimates {
    /// A two-sided 95% interval.
    public struct Interval: Sendable, Hashable, Codable {
        public var low: Double
        public var high: Double
        public init(low: Double, high: Double) {
            self.low = low
            self.high = high
        }
    }

    /// Mean of `values` with its cluster-robust 95% interval; nil interval with fewer than two
    /// clusters. `clusters[i]` is the cluster of `values[i]` (0-based, dense).
    public static func mean(_ values: [Double], clusters: [Int]) -> (mean: Double, interval: Interval?)? {
        guard !values.isEmpty, values.count == clusters.count else { return nil }
        let n = Double(values.count)
        let mean = values.reduce(0, +) / n
        guard let standardError = standardError(values, mean: mean, clusters: clusters) else { return (mean, nil) }
        let count = OverlapGroups.count(clusters)
        let half = tQuantile975(degreesOfFreedom: count - 1) * standardError
        return (mean, Interval(low: mean - half, high: mean + half))
    }

    /// Cluster-robust standard error of the mean; nil with fewer than two clusters.
    public static func standardError(_ values: [Double], mean: Double, clusters: [Int]) -> Double? {
        let count = OverlapGroups.count(clusters)
        guard count >= 2 else { return nil }
        var sums = [Double](repeating: 0, count: count)
        for (value, cluster) in zip(values, clusters) { sums[cluster] += value - mean }
        let n = Double(values.count)
        let variance = Double(count) / Double(count - 1) * sums.reduce(0) { $0 + $1 * $1 } / (n * n)
        return variance.squareRoot()
    }

    /// A proportion (`outcomes` true/false) with a Wilson 95% interval on the effective sample
    /// size: `n / deff`, where the design effect `deff` is the cluster-robust variance over the
    /// independent one (never below 1: overlap never counts as more information). When every
    /// outcome is the same the variance says nothing, and the number of clusters is used.
    public static func proportion(_ outcomes: [Bool], clusters: [Int]) -> (rate: Double, effectiveCount: Double, interval: Interval)? {
        guard !outcomes.isEmpty, outcomes.count == clusters.count else { return nil }
        let n = Double(outcomes.count)
        let values = outcomes.map { $0 ? 1.0 : 0.0 }
        let rate = values.reduce(0, +) / n
        let independentVariance = rate * (1 - rate) / n
        var effective = Double(OverlapGroups.count(clusters))
        if independentVariance > 0, let error = standardError(values, mean: rate, clusters: clusters) {
            let designEffect = max(1, error * error / independentVariance)
            effective = n / designEffect
        }
        return (rate, effective, wilson(rate: rate, count: effective))
    }

    /// Wilson score interval at z = 1.96 for a rate observed over `count` trials.
    public static func wilson(rate: Double, count: Double) -> Interval {
        guard count > 0 else { return Interval(low: 0, high: 1) }
        let z = 1.959963984540054
        let z2 = z * z
        let denominator = 1 + z2 / count
        let center = (rate + z2 / (2 * count)) / denominator
        let half = z * (rate * (1 - rate) / count + z2 / (4 * count * count)).squareRoot() / denominator
        return Interval(low: max(0, center - half), high: min(1, center + half))
    }

    /// The 97.5% quantile of Student's t (two-sided 95%); the normal 1.96 above 120 degrees.
    public static func tQuantile975(degreesOfFreedom df: Int) -> Double {
        let table: [Double] = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
                               2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
                               2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042]
        if df < 1 { return .infinity }
        if df <= 30 { return table[df - 1] }
        if df <= 40 { return 2.042 + (2.021 - 2.042) * Double(df - 30) / 10 }
        if df <= 60 { return 2.021 + (2.000 - 2.021) * Double(df - 40) / 20 }
        if df <= 120 { return 2.000 + (1.980 - 2.000) * Double(df - 60) / 60 }
        return 1.960
    }
}
