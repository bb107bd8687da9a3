#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Probability of backtest overfitting by combinatorially symmetric cross-validation (CSCV,
/// Bailey, Borwein, López de Prado & Zhu 2017).
///
/// Input: a `T × N` matrix of returns (rows = consecutive periods, here UTC days; columns = the
/// `N` configurations tried, here confidence thresholds; a day with data but no trade is 0, a
/// day without data is left out by the caller: it would tie every configuration at 0).
/// 1. Cut the rows into `S` (even) contiguous blocks, block `b` = rows `⌊bT/S⌋ ..< ⌊(b+1)T/S⌋`.
/// 2. For every one of the `C(S, S/2)` ways to pick `S/2` blocks as in-sample (the rest is
///    out-of-sample), in lexicographic order: the in-sample best configuration `n*` by Sharpe
///    ratio (mean / sample sd of its rows; 0 when the sd is 0 and the mean is 0, ±∞ when only
///    the sd is 0; ties → lowest index); its out-of-sample relative rank `ω = r / (N + 1)`, `r`
///    the 1-based ascending rank of its out-of-sample Sharpe among the `N` (ties: average rank);
///    the logit `λ = ln(ω / (1 − ω))`.
/// 3. PBO = fraction of combinations with `λ ≤ 0` (the in-sample winner is at or below the
///    out-of-sample median).
public struct OverfittingProbability: Sendable, Hashable, Codable {
    public var probability: Double
    public var partitions: Int
    public var combinations: Int
    public var configurations: Int
    public var periods: Int
    /// Median of the logits (negative = the winner usually falls below the median).
    public var medianLogit: Double

    /// nil when the matrix is too small (fewer than 4 partitions of at least 2 rows, or fewer
    /// than 2 configurations). `partitions` is lowered to the largest even number ≤ T/2 if needed.
    public static func compute(returns: [[Double]], partitions requested: Int = 16) -> OverfittingProbability? {
        let periods = returns.count
        guard let configurations = returns.first?.count, configurations >= 2, returns.allSatisfy({ $0.count == configurations }) else { return nil }
        var partitions = min(requested, periods / 2)
        if partitions % 2 == 1 { partitions -= 1 }
        guard partitions >= 4 else { return nil }
        // Per block and configuration: row count, sum, sum of squares.
        var count = Array(repeating: 0.0, count: partitions)
        var sum = Array(repeating: Array(repeating: 0.0, count: configurations), count: partitions)
        var squares = sum
        for block in 0..<partitions {
            let start = block * periods / partitions, end = (block + 1) * periods / partitions
            count[block] = Double(end - start)
            for row in start..<end {
                for column in 0..<configurations {
                    sum[block][column] += returns[row][column]
                    squares[block][column] += returns[row][column] * returns[row][column]
                }
            }
        }
        func sharpe(blocks: [Int], column: Int) -> Double {
            var n = 0.0, s = 0.0, q = 0.0
            for block in blocks {
                n += count[block]
                s += sum[block][column]
                q += squares[block][column]
            }
            let mean = s / n
            let variance = n > 1 ? max(0, (q - n * mean * mean) / (n - 1)) : 0
            if variance <= 1e-30 { return mean == 0 ? 0 : (mean > 0 ? .infinity : -.infinity) }
            return mean / variance.squareRoot()
        }
        var logits: [Double] = []
        var overfit = 0
        for inSample in Self.combinations(partitions, partitions / 2) {
            let chosen = Set(inSample)
            let outOfSample = (0..<partitions).filter { !chosen.contains($0) }
            var best = 0, bestSharpe = sharpe(blocks: inSample, column: 0)
            for column in 1..<configurations {
                let value = sharpe(blocks: inSample, column: column)
                if value > bestSharpe {
                    best = column
                    bestSharpe = value
                }
            }
            let outSharpes = (0..<configurations).map { sharpe(blocks: outOfSample, column: $0) }
            let below = outSharpes.filter { $0 < outSharpes[best] }.count
            let equal = outSharpes.filter { $0 == outSharpes[best] }.count
            let rank = Double(below) + Double(equal + 1) / 2  // average 1-based rank among ties
            let omega = rank / Double(configurations + 1)
            let logit = log(omega / (1 - omega))
            logits.append(logit)
            if logit <= 0 { overfit += 1 }
        }
        logits.sort()
        return OverfittingProbability(probability: Double(overfit) / Double(logits.count), partitions: partitions,
                                      combinations: logits.count, configurations: configurations, periods: periods,
                                      medianLogit: DayBlockBootstrap.quantile(logits, 0.5))
    }

    /// All `k`-subsets of `0..<n`, lexicographic (as Python's itertools.combinations).
    static func combinations(_ n: Int, _ k: Int) -> [[Int]] {
        var result: [[Int]] = []
        var current = Array(0..<k)
        while true {
            result.append(current)
            var index = k - 1
            while index >= 0 && current[index] == n - k + index { index -= 1 }
            if index < 0 { return result }
            current[index] += 1
            for next in (index + 1)..<k { current[next] = current[next - 1] + 1 }
        }
    }
}
