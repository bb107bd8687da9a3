/// Each member judged alone, out of sample and after fees, the way the ensemble is: per fold a
/// threshold chosen on the training window's calibration slice from the member's own
/// cross-fitted probabilities, its test-window signals taken one position per symbol at a time,
/// pooled over the folds with a day-block bootstrap interval of the expectancy.
public struct ModelComparisonRow: Sendable, Hashable, Codable {
    public var kind: String
    public var deep: Bool
    /// Threshold chosen in each fold (nil: that fold did not trade).
    public var thresholds: [Double?]
    /// Mean of the member's ensemble weight over the folds.
    public var meanWeight: Double
    public var summary: TradeSummary
    /// Pooled out-of-sample log loss of its calibrated probabilities.
    public var logLoss: Double
}

public enum ModelComparison {
    /// The plain statement: do the deep models improve on the boosted trees after fees?
    ///
    /// YES only when the best deep member (by expectancy after fees) beats the best boosted
    /// tree's expectancy and its own 95% interval lies above zero; the intervals are not a paired
    /// test of the difference, so a YES is a lead to check on new data, not proof.
    public static func statement(_ rows: [ModelComparisonRow]) -> String {
        let deep = rows.filter(\.deep), trees = rows.filter { !$0.deep }
        guard !deep.isEmpty, !trees.isEmpty else {
            return "No comparison: this run has \(deep.isEmpty ? "no deep member (nhits, tft)" : "no boosted-tree member (xgboost, lightgbm)")."
        }
        func best(_ group: [ModelComparisonRow]) -> ModelComparisonRow {
            group.max { ($0.summary.expectancy ?? -.infinity) < ($1.summary.expectancy ?? -.infinity) }!
        }
        let bestDeep = best(deep), bestTree = best(trees)
        func describe(_ row: ModelComparisonRow) -> String {
            let expectancy = row.summary.expectancy.map { ReportFormatting.signedPercent($0) } ?? "n/a"
            let interval = row.summary.interval.map { "[\(ReportFormatting.signedPercent($0.lower)) … \(ReportFormatting.signedPercent($0.upper))]" } ?? "[no interval]"
            return "\(row.kind) \(expectancy) per trade \(interval) over \(row.summary.trades) trades, log loss \(ReportFormatting.number(row.logLoss))"
        }
        let deepExpectancy = bestDeep.summary.expectancy ?? -.infinity, treeExpectancy = bestTree.summary.expectancy ?? -.infinity
        let improves = deepExpectancy > treeExpectancy && (bestDeep.summary.interval?.lower ?? -.infinity) > 0
        let answer = improves ? "YES" : "NO"
        let reason = improves ? "" : (deepExpectancy <= treeExpectancy
            ? " (the best deep model does not beat the best boosted tree's expectancy)"
            : " (the best deep model's interval does not exclude a zero or negative expectancy)")
        return "Do the deep models improve on the boosted trees after fees? \(answer)\(reason). Best deep: \(describe(bestDeep)); "
            + "best boosted tree: \(describe(bestTree))."
    }
}
