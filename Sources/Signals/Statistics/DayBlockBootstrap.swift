import TradingModel

/// Circular moving-block bootstrap over calendar days (UTC) of a per-trade mean — the interval
/// and p-value every expectancy in the report carries.
///
/// Why days: trades close to each other share a market regime (and, before the position gate,
/// a price path), so they are not independent; whole days, resampled in blocks of `L`
/// consecutive days, keep that dependence inside each block. Days without trades are days too
/// (a resample of a sparse strategy can hold few trades) — but only days that had data: with
/// `observedDays`, the window's days without any decision bar (a gap in the data, the warm-up
/// after it) are left out and the remaining days are resampled as one series in calendar order.
///
/// Algorithm, for `D` days with sums `s[d]` (of trade returns) and counts `n[d]` (of trades):
/// 1. `L` = `blockDays`, or when nil `max(1, round(D^(1/3)))` (the n^(1/3) rule of thumb for
///    block length), at most `D`.
/// 2. For each of `B` resamples draw `ceil(D / L)` block starts `u = next() % D` from
///    `SeededRandom(seed)` (SplitMix64); each block is days `u, u+1, …, u+L−1` (mod `D`); keep
///    the first `D` days. Statistic: `θ* = Σ s / Σ n` over the resampled days (skipped when
///    `Σ n = 0`; more than 5% skipped resamples → no interval).
/// 3. Interval: the 2.5% and 97.5% quantiles of the `θ*` (linear interpolation between order
///    statistics, numpy's default); one-sided p-value for "mean ≤ 0":
///    `(1 + #{θ* ≤ 0}) / (B' + 1)` over the `B'` kept resamples.
public struct DayBlockBootstrap: Sendable, Hashable, Codable {
    public var resamples: Int
    /// Block length in days; nil = automatic (`D^(1/3)`).
    public var blockDays: Int?
    public var seed: UInt64

    public init(resamples: Int = 2000, blockDays: Int? = nil, seed: UInt64 = 42) {
        self.resamples = resamples
        self.blockDays = blockDays
        self.seed = seed
    }

    public static let dayMs: Int64 = 86_400_000

    /// The block length used for `days` days.
    public func blockLength(days: Int) -> Int {
        let automatic = max(1, Int(cbrt(Double(max(days, 1))).rounded()))
        return min(max(1, blockDays ?? automatic), max(1, days))
    }

    /// The interval of Σ values / Σ count for values observed at `times`, over the UTC days from
    /// `windowStart`'s day to `windowEnd`'s day (inclusive). nil without values.
    /// - Parameter observedDays: the days (`day(_:)` numbers) that had data; nil = every day of
    ///   the window. Days outside it are dropped unless they hold a value.
    public func interval(values: [(time: Timestamp, value: Double)], windowStart: Timestamp, windowEnd: Timestamp,
                         observedDays: Set<Int64>? = nil) -> BootstrapInterval? {
        let firstDay = Self.day(windowStart)
        let days = Int(max(0, Self.day(windowEnd) - firstDay)) + 1
        var sums = Array(repeating: 0.0, count: days), counts = Array(repeating: 0.0, count: days)
        for (time, value) in values {
            let index = Int(Self.day(time) - firstDay)
            guard index >= 0, index < days else { continue }
            sums[index] += value
            counts[index] += 1
        }
        guard let observedDays else { return interval(daySums: sums, dayCounts: counts) }
        let kept = (0..<days).filter { counts[$0] > 0 || observedDays.contains(firstDay + Int64($0)) }
        return interval(daySums: kept.map { sums[$0] }, dayCounts: kept.map { counts[$0] })
    }

    /// The UTC days (`day(_:)` numbers) of these times: the days a window had data.
    public static func days(of times: some Sequence<Timestamp>) -> Set<Int64> { Set(times.map(day)) }

    /// The interval of Σ sums / Σ counts for per-day aggregates (index = day).
    public func interval(daySums: [Double], dayCounts: [Double]) -> BootstrapInterval? {
        let days = daySums.count
        let total = dayCounts.reduce(0, +)
        guard days > 0, dayCounts.count == days, total > 0, resamples >= 1 else { return nil }
        let length = blockLength(days: days)
        let blocks = (days + length - 1) / length
        var random = SeededRandom(seed: seed)
        var statistics: [Double] = []
        statistics.reserveCapacity(resamples)
        var skipped = 0
        for _ in 0..<resamples {
            var sum = 0.0, count = 0.0, taken = 0
            for _ in 0..<blocks {
                let start = Int(random.next() % UInt64(days))
                for offset in 0..<length where taken < days {
                    let day = (start + offset) % days
                    sum += daySums[day]
                    count += dayCounts[day]
                    taken += 1
                }
            }
            if count > 0 { statistics.append(sum / count) } else { skipped += 1 }
        }
        guard !statistics.isEmpty, Double(skipped) <= 0.05 * Double(resamples) else { return nil }
        statistics.sort()
        let atOrBelowZero = statistics.reduce(0) { $0 + ($1 <= 0 ? 1 : 0) }
        return BootstrapInterval(estimate: daySums.reduce(0, +) / total, lower: Self.quantile(statistics, 0.025),
                                 upper: Self.quantile(statistics, 0.975),
                                 pValue: Double(1 + atOrBelowZero) / Double(statistics.count + 1),
                                 blockDays: length, days: days, resamples: statistics.count)
    }

    /// Quantile of sorted values by linear interpolation (numpy `method="linear"`).
    public static func quantile(_ sorted: [Double], _ probability: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let position = Double(sorted.count - 1) * probability
        let below = Int(position.rounded(.down))
        let above = min(below + 1, sorted.count - 1)
        return sorted[below] + (position - Double(below)) * (sorted[above] - sorted[below])
    }

    public static func day(_ time: Timestamp) -> Int64 {
        let ms = time.milliseconds
        return ms >= 0 ? ms / dayMs : (ms - dayMs + 1) / dayMs
    }
}

/// A bootstrap interval of a mean with its one-sided p-value (H0: mean ≤ 0).
public struct BootstrapInterval: Sendable, Hashable, Codable {
    /// The statistic on the original data.
    public var estimate: Double
    /// 2.5% and 97.5% bootstrap quantiles.
    public var lower: Double
    public var upper: Double
    public var pValue: Double
    public var blockDays: Int
    public var days: Int
    /// Resamples kept (with at least one trade).
    public var resamples: Int
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
