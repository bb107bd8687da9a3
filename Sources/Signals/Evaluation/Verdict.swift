import Foundation

/// The report's verdict on the chosen configuration (the thresholds chosen inside each training
/// window, judged on the test windows after them). YES only when every criterion of
/// `EdgeCriterion` holds; otherwise NO with every failed criterion named. The table of all
/// thresholds never decides: picking its best row would be choosing on the test data.
enum Verdict {
    static func apply(to report: inout EvaluationReport) {
        let criterion = report.plan.edge
        let summary = report.chosen.summary
        var reasons: [String] = []
        let chosen = report.folds.map { $0.choice.threshold.map { String(format: "%.2f", $0) } ?? "none" }.joined(separator: ", ")
        if summary.trades < criterion.minimumTrades {
            reasons.append("\(summary.trades) non-overlapping trades, fewer than the \(criterion.minimumTrades) required")
        }
        if let lower = summary.interval?.lower {
            if lower <= 0 { reasons.append(String(format: "95%% day-block bootstrap lower bound of expectancy %+.3f%% is not above zero", lower * 100)) }
        } else if summary.trades > 0 {
            reasons.append("too few trading days for a bootstrap interval")
        }
        if let expectancy = summary.expectancy {
            for baseline in report.chosen.baselines {
                if let other = baseline.comparableExpectancy, expectancy <= other {
                    reasons.append("expectancy \(ReportFormatting.signedPercent(expectancy)) is not above \(baseline.name) (\(ReportFormatting.signedPercent(other)))")
                }
            }
        }
        if let deflated = report.multipleTesting.deflatedSharpe {
            if deflated.probability < criterion.minimumDeflatedSharpe {
                reasons.append(String(format: "deflated Sharpe ratio %.2f is below %.2f for %d configurations tried",
                                      deflated.probability, criterion.minimumDeflatedSharpe, deflated.trials))
            }
        } else if summary.trades > 0 {
            reasons.append("no deflated Sharpe ratio (too few trades or a degenerate return distribution)")
        }
        report.verdictReasons = reasons
        report.edgeFound = reasons.isEmpty && summary.trades > 0
        let figures = "\(summary.trades) non-overlapping trades, expectancy \(ReportFormatting.signedPercent(summary.expectancy)) per trade "
            + "after costs (95% interval \(ReportFormatting.signedPercent(summary.interval?.lower)) … \(ReportFormatting.signedPercent(summary.interval?.upper)))"
        if report.edgeFound {
            report.verdict = "EDGE out-of-sample: the thresholds chosen inside each training window (\(chosen)) made \(figures), "
                + "above every baseline, deflated Sharpe " + ReportFormatting.number(report.multipleTesting.deflatedSharpe?.probability, digits: 2)
                + ". Confirm in a backtest on a later period before trading."
        } else {
            report.verdict = "NO tradeable edge out-of-sample: the thresholds chosen inside each training window (\(chosen)) made \(figures); "
                + (reasons.isEmpty ? "no trades." : reasons.joined(separator: "; ") + ".") + " Do not trade it."
        }
    }
}
