/// Plain-text rendering of an `EvaluationReport` for the terminal (`qt model report`).
public enum ReportText {
    public static func lines(_ report: EvaluationReport) -> [String] {
        typealias F = ReportFormatting
        var lines: [String] = []
        lines.append("VERDICT: \(report.verdict)")
        lines.append("")
        lines.append("data: \(report.symbols.joined(separator: ", ")) \(report.dataStart)...\(report.dataEnd), hash \(report.dataHash.prefix(16))")
        lines.append("features: \(report.featureSet); decision every \(report.plan.decisionIntervalMinutes) min; \(report.samples) samples "
            + "(NONE \(report.labelCounts[0]), LONG \(report.labelCounts[1]), SHORT \(report.labelCounts[2])); "
            + "\(report.droppedForMissingFeatures) dropped for missing features")
        let labels = report.plan.labelSettings
        lines.append("labels: triple barrier TP \(F.percent(labels.takeProfitPriceMove, digits: 2)) / stop \(F.percent(labels.stopPriceMove, digits: 2)) "
            + "price move, horizon \(labels.horizonBars) min, round-trip fees \(F.percent(labels.roundTripFeeRate, digits: 2)); stop first when a bar touches both")
        let walk = report.plan.walkForward
        lines.append("evaluation: expanding walk-forward, \(walk.folds) folds, purged + \(walk.embargoMinutes) min embargo, "
            + "isotonic calibration on the last \(F.percent(walk.calibrationFraction, digits: 0)) of each training window (purged)")
        if let seconds = report.trainingSeconds { lines.append(String(format: "training time: %.1f s", seconds)) }
        if let version = report.finalModelVersion { lines.append("final model version: \(version) (trained on all data; its estimate is the walk-forward below)") }
        lines.append("")
        lines.append("ALL FIGURES BELOW ARE OUT-OF-SAMPLE (walk-forward test windows). Returns are per trade, after fees, as price moves.")
        for fold in report.folds {
            let oos = fold.outOfSample
            lines.append("")
            lines.append("fold \(fold.index + 1): train \(fold.trainingStart)...\(fold.trainingEnd) (\(fold.trainingSamples) fit + "
                + "\(fold.calibrationSamples) calibration, \(fold.purgedSamples) purged) -> test \(oos.testStart)...\(oos.testEnd) (\(oos.testSamples))")
            lines += summary(oos)
        }
        lines.append("")
        lines.append("POOLED OUT-OF-SAMPLE (\(report.pooled.testSamples) samples, \(report.pooled.testStart)...\(report.pooled.testEnd))")
        lines += summary(report.pooled)
        lines.append("")
        lines.append("threshold  trades  coverage  precision  expectancy  95%-low    total     beats baselines")
        for row in report.pooled.ensemble.thresholds {
            lines.append(pad(F.number(row.threshold, digits: 2), 11) + pad(String(row.trades), 8) + pad(F.percent(row.coverage), 10)
                + pad(F.percent(row.precision), 11) + pad(F.signedPercent(row.expectancy), 12) + pad(F.signedPercent(row.expectancyLowerBound), 11)
                + pad(F.signedPercent(row.totalReturn), 10) + (row.beatsBaselines ? "YES" : "no"))
        }
        lines.append("")
        lines.append("baselines (trade every call, same fees):")
        for baseline in report.pooled.baselines {
            lines.append("  \(pad(baseline.name, 22)) accuracy \(F.percent(baseline.accuracy)), trades \(baseline.trading.trades), "
                + "precision \(F.percent(baseline.trading.precision)), expectancy \(F.signedPercent(baseline.trading.expectancy))")
        }
        let confusion = report.pooled.ensemble.metrics.confusion
        lines.append("")
        lines.append("confusion (rows true, columns predicted; NONE LONG SHORT):")
        for (index, name) in ["NONE", "LONG", "SHORT"].enumerated() {
            lines.append("  \(pad(name, 6)) " + confusion[index].map { pad(String($0), 8) }.joined())
        }
        lines.append("")
        lines.append("VERDICT: \(report.verdict)")
        return lines
    }

    static func summary(_ report: OutOfSampleReport) -> [String] {
        typealias F = ReportFormatting
        var lines: [String] = []
        func describe(_ name: String, _ evaluation: PredictionEvaluation) -> String {
            let m = evaluation.metrics
            let best = evaluation.thresholds.filter { $0.trades > 0 }.max { ($0.expectancy ?? -1) < ($1.expectancy ?? -1) }
            return "  \(pad(name, 9)) OOS accuracy \(F.percent(m.accuracy)), Brier \(F.number(m.brierScore)), log loss \(F.number(m.logLoss)), "
                + "ECE \(F.number(m.expectedCalibrationError)) (raw \(F.number(evaluation.uncalibratedExpectedCalibrationError))); "
                + "best threshold \(F.number(best?.threshold, digits: 2)): \(best?.trades ?? 0) trades, expectancy \(F.signedPercent(best?.expectancy))"
        }
        lines.append(describe("ensemble", report.ensemble))
        for (kind, evaluation) in report.models.sorted(by: { $0.key < $1.key }) { lines.append(describe(kind, evaluation)) }
        let baselines = report.baselines.map { "\($0.name) acc \(F.percent($0.accuracy)) exp \(F.signedPercent($0.trading.expectancy))" }
        lines.append("  baselines: " + baselines.joined(separator: "; "))
        return lines
    }

    static func pad(_ text: String, _ width: Int) -> String { text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count) }
}
