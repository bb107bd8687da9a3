import Foundation
import TradingModel
/// Plain-text rendering of an `EvaluationReport` for the terminal (`qt model report`).
public enum ReportText {
    typealias F = ReportFormatting

    public static func lines(_ report: EvaluationReport) -> [String] {
        var lines: [String] = []
        lines.append("VERDICT: \(report.verdict)")
        lines.append("")
        lines += header(report)
        lines.append("")
        lines.append("ALL FIGURES BELOW ARE OUT-OF-SAMPLE (walk-forward test windows) unless marked CALIBRATION SLICE. Returns are per")
        lines.append("trade, after fees, slippage and funding, as price moves; trades = one position per symbol at a time.")
        lines.append("")
        lines += chosen(report)
        lines.append("")
        let models = modelComparison(report)
        if !models.isEmpty { lines += models + [""] }
        lines += multipleTesting(report)
        lines.append("")
        lines += table(report)
        lines.append("")
        lines += calibration(report)
        lines.append("")
        lines += drift(report)
        lines.append("")
        lines += regimes(report)
        lines.append("")
        lines += insight(report)
        if !report.leaveOneSymbolOut.isEmpty {
            lines.append("")
            lines += leaveOneSymbolOut(report)
        }
        if let exit = report.exitEngine {
            lines.append("")
            lines += exitEngine(exit, barrier: report.chosen.summary)
        }
        lines.append("")
        lines.append("VERDICT: \(report.verdict)")
        return lines
    }

    static func header(_ report: EvaluationReport) -> [String] {
        var lines: [String] = []
        lines.append("data: \(report.symbols.joined(separator: ", ")) \(report.dataStart)...\(report.dataEnd), hash \(report.dataHash.prefix(16))")
        lines.append("features: \(report.featureSet); decision every \(report.plan.decisionIntervalMinutes) min; \(report.samples) samples "
            + "(NONE \(report.labelCounts[0]), LONG \(report.labelCounts[1]), SHORT \(report.labelCounts[2])); "
            + "\(report.droppedForMissingFeatures) dropped for missing features, \(report.droppedForGaps) for a label window across a gap; "
            + "features restarted at \(report.featureRestarts) gap(s); warm-up \(FeatureEngine.warmUp.hourBars) h")
        let labels = report.plan.labelSettings
        lines.append("labels: triple barrier TP \(F.percent(labels.takeProfitPriceMove, digits: 2)) / stop \(F.percent(labels.stopPriceMove, digits: 2)) "
            + "price move, horizon \(labels.horizonBars) min, stop first when a bar touches both, a gap fills the stop at the open; "
            + "costs: fees \(F.percent(labels.roundTripFeeRate, digits: 2)) round trip, slippage \(F.number(labels.slippageBasisPoints, digits: 1)) bps per fill, "
            + "funding recorded or \(F.percent(labels.assumedFundingRate, digits: 3)) per 8 h")
        let walk = report.plan.walkForward
        let statistics = report.plan.statistics
        lines.append("evaluation: expanding walk-forward, \(walk.folds) folds, purged, \(walk.embargoMinutes) min embargo gap before each test window; "
            + "isotonic calibration on the last \(F.percent(walk.calibrationFraction, digits: 0)) of each training window; the threshold is chosen "
            + "there (cross-fitted calibration, highest bootstrap lower bound with >= \(statistics.minimumCalibrationTrades) trades)")
        lines.append("intervals: day-block bootstrap, \(statistics.bootstrapResamples) resamples, "
            + (statistics.bootstrapBlockDays.map { "\($0)-day blocks" } ?? "blocks of round(days^(1/3)) days")
            + ", seed \(report.plan.baselineSeed)")
        if let seconds = report.trainingSeconds { lines.append(String(format: "training time: %.1f s", seconds)) }
        if let version = report.finalModelVersion { lines.append("final model version: \(version) (trained on all data; its estimate is the walk-forward below)") }
        return lines
    }

    static func chosen(_ report: EvaluationReport) -> [String] {
        var lines = ["THE CHOSEN CONFIGURATION: the threshold chosen inside each training window, then judged on the test window after it"]
        lines.append("fold  test window                 threshold  CALIBRATION SLICE: trades  exp      low     | test: signals trades "
            + "expectancy 95% low   95% high  total     long n/exp          short n/exp")
        for fold in report.folds {
            let choice = fold.choice.chosenRow
            var line = pad(String(fold.index + 1), 6) + pad("\(fold.outOfSample.testStart.iso8601.prefix(10))..\(fold.outOfSample.testEnd.iso8601.prefix(10))", 28)
            line += pad(F.number(fold.choice.threshold, digits: 2), 11) + pad(String(choice?.trades ?? 0), 26)
                + pad(F.signedPercent(choice?.expectancy), 9) + pad(F.signedPercent(choice?.expectancyLowerBound), 8) + "| "
            line += fold.chosen.map(summaryCells) ?? "no threshold had enough calibration-slice trades: no trades"
            lines.append(line)
        }
        lines.append(pad("pooled", 34) + pad("", 11) + pad("", 26) + pad("", 17) + "| " + summaryCells(report.chosen.summary))
        if let interval = report.chosen.summary.interval {
            lines.append("  bootstrap: \(interval.days) days, \(interval.blockDays)-day blocks, \(interval.resamples) resamples; p(expectancy <= 0) = "
                + F.number(interval.pValue, digits: 4))
        }
        lines.append("")
        lines.append("baselines (same test windows, same costs, one position at a time; random entry per fold with the model's coverage and long/short mix):")
        for baseline in report.chosen.baselines { lines.append("  " + describe(baseline)) }
        lines.append("")
        lines += baselinesByFold(report)
        if let final = report.finalChoice {
            lines.append("")
            lines.append("threshold chosen the same way on the final model's calibration slice: \(F.number(final.threshold, digits: 2))"
                + (report.edgeFound ? " (the one to trade with)" : " (do not trade: no edge out of sample)"))
        }
        return lines
    }

    static func summaryCells(_ summary: TradeSummary) -> String {
        pad(String(summary.signals), 8) + pad(String(summary.trades), 7) + pad(F.signedPercent(summary.expectancy), 11)
            + pad(F.signedPercent(summary.interval?.lower), 10) + pad(F.signedPercent(summary.interval?.upper), 10)
            + pad(F.signedPercent(summary.totalReturn), 10) + pad("\(summary.long.trades)/\(F.signedPercent(summary.long.expectancy))", 20)
            + "\(summary.short.trades)/\(F.signedPercent(summary.short.expectancy))"
    }

    static func describe(_ baseline: BaselineEvaluation) -> String {
        if let random = baseline.random {
            return pad(baseline.name, 22) + String(format: "%d draws: mean %.1f trades (%.1f long, %.1f short), mean expectancy ", random.draws,
                                                   random.meanTrades, random.meanLongTrades, random.meanShortTrades)
                + F.signedPercent(random.meanExpectancy) + " (95% of draws " + F.signedPercent(random.lower) + " … " + F.signedPercent(random.upper)
                + "); p(model's expectancy by chance timing) = " + F.number(random.modelPValue, digits: 3)
        }
        let summary = baseline.summary
        return pad(baseline.name, 22) + "trades \(summary.trades), expectancy \(F.signedPercent(summary.expectancy)) "
            + "[\(F.signedPercent(summary.interval?.lower)) … \(F.signedPercent(summary.interval?.upper))], total \(F.signedPercent(summary.totalReturn)); "
            + "long \(summary.long.trades)/\(F.signedPercent(summary.long.expectancy)), short \(summary.short.trades)/\(F.signedPercent(summary.short.expectancy))"
    }

    static func pad(_ text: String, _ width: Int) -> String { text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count) }
}
