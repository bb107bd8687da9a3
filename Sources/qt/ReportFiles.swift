import Foundation
import Signals

/// report.json and report.html of a model directory.
enum ReportFiles {
    static func write(_ report: EvaluationReport, directory: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        try encoder.encode(report).write(to: URL(fileURLWithPath: "\(directory)/report.json"), options: .atomic)
        try Data(ReportHTML.render(report).utf8).write(to: URL(fileURLWithPath: "\(directory)/report.html"), options: .atomic)
    }

    static func read(directory: String) throws -> EvaluationReport {
        try EvaluationReport.read(directory: directory)
    }
}

/// The few lines `qt train` prints when done.
enum ReportSummary {
    static func short(_ report: EvaluationReport, directory: String) -> [String] {
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
        lines.append("VERDICT: \(report.verdict)")
        lines.append("full report: qt model report \(directory)")
        return lines
    }
}
