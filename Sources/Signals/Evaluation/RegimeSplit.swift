import TradingModel

/// The chosen configuration's out-of-sample trades split by market regime at entry.
///
/// Dimensions: `volatility` terciles of `h1.realized_volatility` (cut points: the 1/3 and 2/3
/// quantiles over all out-of-sample decision bars), `trend` the sign of `h1.ema50_distance`
/// (close above or below the hourly EMA 50), `hour` the UTC entry hour in four 6-hour blocks.
public struct RegimeSplit: Sendable, Hashable, Codable {
    public var dimension: String
    public var bucket: String
    public var long: SideFigures
    public var short: SideFigures

    public var trades: Int { long.trades + short.trades }
    public var expectancy: Double? { trades == 0 ? nil : (long.totalReturn + short.totalReturn) / Double(trades) }

    public static func compute(trades: [SelectedTrade], samples: [LabeledSample], featureSet: FeatureSet) -> [RegimeSplit] {
        var splits: [RegimeSplit] = []
        func add(_ dimension: String, _ buckets: [String], _ bucketOf: (SelectedTrade) -> Int?) {
            for (index, name) in buckets.enumerated() {
                let members = trades.filter { bucketOf($0) == index }
                splits.append(RegimeSplit(dimension: dimension, bucket: name, long: SideFigures(members.filter { $0.side == .long }),
                                          short: SideFigures(members.filter { $0.side == .short })))
            }
        }
        if let column = featureSet.names.firstIndex(of: "h1.realized_volatility") {
            let values = samples.map { $0.features[column] }.filter(\.isFinite).sorted()
            if !values.isEmpty {
                let low = DayBlockBootstrap.quantile(values, 1.0 / 3), high = DayBlockBootstrap.quantile(values, 2.0 / 3)
                add("volatility", ["low", "middle", "high"]) { trade in
                    let value = samples[trade.sampleIndex].features[column]
                    guard value.isFinite else { return nil }
                    return value <= low ? 0 : value <= high ? 1 : 2
                }
            }
        }
        if let column = featureSet.names.firstIndex(of: "h1.ema50_distance") {
            add("trend", ["up (close > EMA50 1h)", "down"]) { trade in
                let value = samples[trade.sampleIndex].features[column]
                guard value.isFinite else { return nil }
                return value > 0 ? 0 : 1
            }
        }
        add("hour (UTC)", ["00-06", "06-12", "12-18", "18-24"]) { trade in
            Int((trade.entryTime.milliseconds / 3_600_000) % 24) / 6
        }
        return splits
    }
}
