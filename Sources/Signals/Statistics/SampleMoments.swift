/// Moments of a sample, with the conventions the deflated Sharpe ratio uses (Bailey & López de
/// Prado 2014): `standardDeviation` is the sample one (n − 1); `skewness` and `kurtosis` are the
/// population (biased) standardised third and fourth moments — kurtosis NOT in excess (3 for a
/// normal) — i.e. scipy.stats.skew(x) and scipy.stats.kurtosis(x, fisher=False).
public struct SampleMoments: Sendable, Hashable, Codable {
    public var count: Int
    public var mean: Double
    public var standardDeviation: Double
    public var skewness: Double
    public var kurtosis: Double

    /// nil with fewer than two values or zero variance.
    public init?(_ values: [Double]) {
        guard values.count >= 2 else { return nil }
        let n = Double(values.count)
        let mean = values.reduce(0, +) / n
        var m2 = 0.0, m3 = 0.0, m4 = 0.0
        for value in values {
            let d = value - mean
            m2 += d * d
            m3 += d * d * d
            m4 += d * d * d * d
        }
        m2 /= n
        m3 /= n
        m4 /= n
        guard m2 > 0 else { return nil }
        count = values.count
        self.mean = mean
        standardDeviation = (m2 * n / (n - 1)).squareRoot()
        skewness = m3 / (m2 * m2.squareRoot())
        kurtosis = m4 / (m2 * m2)
    }

    /// Per-observation Sharpe ratio: mean / sample standard deviation (not annualised).
    public var sharpeRatio: Double { mean / standardDeviation }
}
