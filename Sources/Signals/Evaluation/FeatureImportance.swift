/// What one model of one fold relied on: total gain per feature (what the trees split on, from
/// the library) and mean |SHAP| per feature on the fold's test window (what drove the
/// out-of-sample predictions, exact tree SHAP from the library, summed over the three classes).
/// Both are normalised to shares summing to 1.
public struct FeatureImportance: Sendable, Hashable, Codable {
    public var model: String
    public var gainShare: [Double]
    public var shapShare: [Double]

    public init(model: String, gain: [Double], meanAbsoluteShap: [Double]) {
        self.model = model
        gainShare = Self.shares(gain)
        shapShare = Self.shares(meanAbsoluteShap)
    }

    static func shares(_ values: [Double]) -> [Double] {
        let total = values.filter(\.isFinite).reduce(0, +)
        return values.map { total > 0 && $0.isFinite ? $0 / total : 0 }
    }

    /// The `count` largest shares with their feature names, largest first.
    public static func top(_ shares: [Double], names: [String], count: Int = 5) -> [(name: String, share: Double)] {
        Array(zip(names, shares).sorted { ($0.1, $1.0) > ($1.1, $0.0) }.prefix(count)).map { ($0.0, $0.1) }
    }

    /// Calendar features among the top five (by gain or SHAP) on a history too short to learn
    /// them: day of week with fewer than 26 weeks of training data (each weekday seen < 26
    /// times), time of day with fewer than 8 weeks. Such a ranking is more likely a memorised
    /// coincidence than a seasonality.
    public func calendarWarnings(names: [String], trainingDays: Double) -> [String] {
        var warnings: [String] = []
        let top = Set(Self.top(gainShare, names: names).map(\.name) + Self.top(shapShare, names: names).map(\.name))
        if trainingDays < 26 * 7, let name = top.sorted().first(where: { $0.hasPrefix("time.day_of_week") }) {
            warnings.append("\(model): \(name) ranks in the top 5 on \(Int(trainingDays)) days of training data (< 26 weeks): "
                            + "probably a memorised weekday pattern, not a seasonality")
        }
        if trainingDays < 8 * 7, let name = top.sorted().first(where: { $0.hasPrefix("time.minute_of_day") }) {
            warnings.append("\(model): \(name) ranks in the top 5 on \(Int(trainingDays)) days of training data (< 8 weeks): "
                            + "probably memorised, not an intraday seasonality")
        }
        return warnings
    }
}
