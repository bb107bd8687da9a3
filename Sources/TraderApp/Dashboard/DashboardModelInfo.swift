import Dashboard
import Foundation
import Signals
import TradingModel

/// The strategy in use for the console's "model" section: for `ml-ensemble` the model's version
/// and its out-of-sample figures from `report.json` (written by `qt train`), for `ema-cross` the
/// rule's parameters. A report that cannot be read is said so, not hidden.
public enum DashboardModelInfo {
    public static func view(strategy: StrategySettings?) -> ModelView? {
        guard let strategy else { return nil }
        // `[strategy] ml-ensemble` has its model settings; a rule strategy has none.
        if let settings = strategy.mlEnsemble {
            return mlView(directory: settings.modelDirectory, threshold: settings.threshold, gate: strategy.entryGate.rawValue)
        }
        return ModelView(name: strategy.name.rawValue, detail: "rule strategy: EMA \(strategy.fastPeriod)/\(strategy.slowPeriod) cross, "
                         + "entry gate \(strategy.entryGate.rawValue); no model, no out-of-sample figures", figures: [], verdict: nil)
    }

    static func mlView(directory: String, threshold: Double, gate: String) -> ModelView {
        let path = "\(directory)/report.json"
        let report: EvaluationReport
        do {
            guard let data = FileManager.default.contents(atPath: path) else { throw DashboardError("\(path) not found") }
            let decoder = JSONDecoder()
            decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            report = try decoder.decode(EvaluationReport.self, from: data)
        } catch {
            return ModelView(name: "ml-ensemble", detail: "model \(directory), threshold \(threshold): its out-of-sample report cannot be read (\(error))",
                             figures: [], verdict: nil)
        }
        let pooled = report.pooled.ensemble.metrics
        var figures = [
            ModelView.Figure(name: "pooled out-of-sample samples", value: "\(report.pooled.testSamples)"),
            ModelView.Figure(name: "pooled accuracy", value: percent(pooled.accuracy)),
            ModelView.Figure(name: "pooled Brier score", value: decimal(pooled.brierScore)),
            ModelView.Figure(name: "pooled log loss", value: decimal(pooled.logLoss)),
            ModelView.Figure(name: "pooled expected calibration error", value: decimal(pooled.expectedCalibrationError)),
        ]
        figures.append(ModelView.Figure(name: "majority-class accuracy (same samples)", value: percent(report.pooled.majorityClassAccuracy)))
        figures.append(ModelView.Figure(name: "always-flat accuracy (same samples)", value: percent(report.pooled.alwaysFlatAccuracy)))
        let chosen = report.chosen.summary
        figures.append(ModelView.Figure(name: "chosen threshold: trades, expectancy per trade (95% day-block interval)",
                                        value: "\(chosen.trades), \(returnText(chosen.expectancy)) \(intervalText(chosen.interval))"))
        for baseline in report.chosen.baselines {
            figures.append(ModelView.Figure(name: "baseline \(baseline.name): expectancy per trade",
                                            value: returnText(baseline.comparableExpectancy)))
        }
        for fold in report.folds {
            figures.append(ModelView.Figure(name: "fold \(fold.index) (\(fold.outOfSample.testStart.iso8601.prefix(10))…\(fold.outOfSample.testEnd.iso8601.prefix(10))) accuracy",
                                            value: percent(fold.outOfSample.ensemble.metrics.accuracy)))
        }
        return ModelView(name: "ml-ensemble@\(report.finalModelVersion ?? "?")",
                         detail: "model \(directory), threshold \(threshold), entry gate \(gate); trained on \(report.symbols.joined(separator: ",")) "
                             + "\(report.dataStart.iso8601.prefix(10))…\(report.dataEnd.iso8601.prefix(10)), purged walk-forward",
                         figures: figures, verdict: report.verdict)
    }

    static func returnText(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "n/a" }
        return String(format: "%+.3f%%", value * 100)
    }

    static func intervalText(_ interval: BootstrapInterval?) -> String {
        guard let interval, interval.lower.isFinite, interval.upper.isFinite else { return "(no interval)" }
        return String(format: "[%+.3f%%, %+.3f%%]", interval.lower * 100, interval.upper * 100)
    }

    static func percent(_ value: Double) -> String { value.isFinite ? String(format: "%.1f%%", value * 100) : "n/a" }
    static func decimal(_ value: Double) -> String { value.isFinite ? String(format: "%.4f", value) : "n/a" }
}
