/// The identity of a feature layout: name, version and the ordered feature names a model was
/// trained on. A model refuses vectors (and a loader refuses models) whose set differs.
public struct FeatureSet: Sendable, Hashable, Codable, CustomStringConvertible {
    public var name: String
    public var version: Int
    /// Feature names in column order.
    public var names: [String]
    /// Names that may legitimately be NaN (e.g. funding rate when the source has none); the
    /// tree models treat NaN as missing. Every other feature must be finite to predict.
    public var optionalNames: [String]

    public init(name: String, version: Int, names: [String], optionalNames: [String]) {
        self.name = name
        self.version = version
        self.names = names
        self.optionalNames = optionalNames
    }

    public var count: Int { names.count }
    public var description: String { "\(name)@v\(version) (\(names.count) features)" }

    /// The standard multi-timeframe candle feature set (`candles-mtf`, version 1).
    /// - Parameter marketContext: adds the context symbol's returns (BTC or a basket).
    public static func standard(marketContext: Bool) -> FeatureSet {
        var names: [String] = []
        for (prefix, lags) in FeatureEngine.timeframes {
            names += TimeframeIndicators.featureSuffixes(returnLags: lags).map { "\(prefix).\($0)" }
        }
        names += ["time.minute_of_day_sin", "time.minute_of_day_cos", "time.day_of_week_sin", "time.day_of_week_cos"]
        names += ["funding.rate"]
        if marketContext { names += MarketContextEngine.featureNames }
        let optional = ["funding.rate"] + FeatureEngine.timeframes.map { "\($0.prefix).taker_buy_ratio_z" }
        return FeatureSet(name: marketContext ? "candles-mtf-context" : "candles-mtf", version: 1, names: names,
                          optionalNames: optional)
    }

    /// Explains how `other` differs from this set, or nil when identical.
    public func mismatch(with other: FeatureSet) -> String? {
        if name != other.name || version != other.version {
            return "feature set \(other.name)@v\(other.version) does not match \(name)@v\(version)"
        }
        if names != other.names {
            let missing = names.filter { !other.names.contains($0) }
            let extra = other.names.filter { !names.contains($0) }
            return "feature names differ (missing: \(missing.joined(separator: ", ")); unexpected: \(extra.joined(separator: ", ")); or order differs)"
        }
        return nil
    }
}
