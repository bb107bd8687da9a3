extension ReportText {
    /// Each member alone and the ensemble, after fees, and whether the deep members add anything.
    static func modelComparison(_ report: EvaluationReport) -> [String] {
        guard let rows = report.modelComparison else { return [] }
        var lines = ["EACH MODEL ALONE, AFTER FEES (its own threshold chosen inside each training window, test windows pooled, "
            + "one position per symbol at a time) beside the ensemble"]
        lines.append("model      weight  thresholds by fold         trades  expectancy 95% low   95% high  total     log loss")
        func cells(_ summary: TradeSummary) -> String {
            pad(String(summary.trades), 8) + pad(F.signedPercent(summary.expectancy), 11) + pad(F.signedPercent(summary.interval?.lower), 10)
                + pad(F.signedPercent(summary.interval?.upper), 10) + pad(F.signedPercent(summary.totalReturn), 10)
        }
        for row in rows {
            let thresholds = row.thresholds.map { F.number($0, digits: 2) }.joined(separator: " ")
            lines.append(pad(row.kind, 11) + pad(F.number(row.meanWeight, digits: 2), 8) + pad(thresholds, 27) + cells(row.summary)
                + F.number(row.logLoss))
        }
        lines.append(pad("ensemble", 11) + pad("", 8) + pad(report.folds.map { F.number($0.choice.threshold, digits: 2) }.joined(separator: " "), 27)
            + cells(report.chosen.summary) + F.number(report.pooled.ensemble.metrics.logLoss))
        if let weights = report.weightsByFold {
            lines.append("  weights fitted out of fold (calibration slice, cross-fitted, log loss on a 0.1 grid) by fold, order "
                + report.plan.models.joined(separator: "/") + ": " + weights.map { $0.map { F.number($0, digits: 1) }.joined(separator: "/") }
                    .joined(separator: ", "))
        }
        for baseline in report.chosen.baselines.prefix(4) {
            lines.append("  baseline \(pad(baseline.name, 28)) trades \(pad(String(baseline.summary.trades), 6)) expectancy "
                + F.signedPercent(baseline.summary.expectancy))
        }
        if let statement = report.deepVersusTrees { lines.append(statement) }
        return lines
    }
}
