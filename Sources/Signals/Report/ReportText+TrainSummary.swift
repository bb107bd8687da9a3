import Foundation

extension ReportText {
    /// The few lines `qt train` prints when done: accuracy only beside what answering the
    /// majority class and always answering NONE would score, and the verdict on the chosen
    /// configuration (never the best row of the threshold table).
    public static func trainSummary(_ report: EvaluationReport, directory: String) -> [String] {
        var lines = ["model directory: \(directory) (version \(report.finalModelVersion ?? "-"))"]
        if let seconds = report.trainingSeconds { lines.append(String(format: "training time: %.1f s", seconds)) }
        let pooled = report.pooled, ensemble = pooled.ensemble
        lines.append(String(format: "pooled out-of-sample (%d samples): accuracy %.1f%% (majority class %.1f%%, always flat %.1f%%), "
                                + "Brier %.4f, log loss %.4f, ECE %.4f",
                            pooled.testSamples, ensemble.metrics.accuracy * 100, pooled.majorityClassAccuracy * 100, pooled.alwaysFlatAccuracy * 100,
                            ensemble.metrics.brierScore, ensemble.metrics.logLoss, ensemble.metrics.expectedCalibrationError))
        let chosen = report.chosen.summary
        lines.append("chosen thresholds (inside each training window): " + report.folds.map { $0.choice.threshold.map { String(format: "%.2f", $0) } ?? "none" }
            .joined(separator: ", ") + "; out of sample \(chosen.trades) non-overlapping trades")
        for row in report.modelComparison ?? [] {
            lines.append("  \(row.kind): weight \(F.number(row.meanWeight, digits: 2)), alone \(row.summary.trades) trades, expectancy "
                + "\(F.signedPercent(row.summary.expectancy)) [\(F.signedPercent(row.summary.interval?.lower)) … "
                + "\(F.signedPercent(row.summary.interval?.upper))], log loss \(F.number(row.logLoss))")
        }
        if let statement = report.deepVersusTrees { lines.append(statement) }
        lines.append("VERDICT: \(report.verdict)")
        lines.append("full report: qt model report \(directory)")
        return lines
    }
}
