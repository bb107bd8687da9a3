extension ReportText {
    static func multipleTesting(_ report: EvaluationReport) -> [String] {
        let testing = report.multipleTesting
        var lines = ["MULTIPLE TESTING: \(testing.configurations) configurations tried (thresholds 0.50 … 0.95; Holm-adjusted p-values in the table)"]
        if let pbo = testing.overfitting {
            lines.append("  probability of backtest overfitting (CSCV over the table's daily returns, \(pbo.partitions) partitions, "
                + "\(pbo.combinations) combinations, \(pbo.periods) days): \(F.number(pbo.probability, digits: 3))"
                + (pbo.probability > 0.5 ? " — the best threshold in one half usually falls below the median in the other: the table is noise" : ""))
        } else {
            lines.append("  probability of backtest overfitting: not computed (fewer than 8 test days)")
        }
        if let dsr = testing.deflatedSharpe {
            lines.append("  deflated Sharpe ratio of the chosen configuration: \(F.number(dsr.probability, digits: 3)) (Sharpe per trade "
                + "\(F.number(dsr.sharpeRatio, digits: 3)) over \(dsr.observations) trades, skewness \(F.number(dsr.skewness, digits: 2)), "
                + "kurtosis \(F.number(dsr.kurtosis, digits: 2)); expected maximum of \(dsr.trials) unskilled trials "
                + "\(F.number(dsr.expectedMaximumSharpe, digits: 3)))")
        } else {
            lines.append("  deflated Sharpe ratio: not computed (fewer than 3 trades)")
        }
        return lines
    }

    static func table(_ report: EvaluationReport) -> [String] {
        var lines = ["EVERY THRESHOLD, POOLED (for information only: picking the best row here is choosing on the test data)"]
        lines.append("threshold  signals  trades  coverage  precision  expectancy  95%-low    95%-high   total     p       Holm p  long n/exp          short n/exp")
        let minimum = report.plan.edge.minimumTrades
        for row in report.pooled.ensemble.thresholds {
            let summary = row.summary
            lines.append(pad(F.number(row.threshold, digits: 2) + (summary.trades < minimum ? "*" : ""), 11) + pad(String(summary.signals), 9) + pad(String(summary.trades), 8)
                + pad(F.percent(summary.coverage), 10) + pad(F.percent(summary.precision), 11) + pad(F.signedPercent(summary.expectancy), 12)
                + pad(F.signedPercent(summary.interval?.lower), 11) + pad(F.signedPercent(summary.interval?.upper), 11)
                + pad(F.signedPercent(summary.totalReturn), 10) + pad(F.number(summary.interval?.pValue, digits: 3), 8)
                + pad(F.number(row.holmPValue, digits: 3), 8) + pad("\(summary.long.trades)/\(F.signedPercent(summary.long.expectancy))", 20)
                + "\(summary.short.trades)/\(F.signedPercent(summary.short.expectancy))")
        }
        lines.append("  * fewer than \(minimum) trades: below the verdict's minimum; a bootstrap over so few trades understates the uncertainty")
        return lines
    }

    static func calibration(_ report: EvaluationReport) -> [String] {
        let pooled = report.pooled
        var lines = ["CALIBRATION (pooled out-of-sample)"]
        func describe(_ name: String, _ evaluation: PredictionEvaluation) -> String {
            let m = evaluation.metrics
            return "  \(pad(name, 9)) accuracy \(F.percent(m.accuracy)) (majority class \(F.percent(pooled.majorityClassAccuracy)), "
                + "always flat \(F.percent(pooled.alwaysFlatAccuracy))), Brier \(F.number(m.brierScore)), log loss \(F.number(m.logLoss)), "
                + "top-class ECE \(F.number(m.expectedCalibrationError)) (raw \(F.number(evaluation.uncalibratedExpectedCalibrationError)))"
        }
        lines.append(describe("ensemble", pooled.ensemble))
        for (kind, evaluation) in pooled.models.sorted(by: { $0.key < $1.key }) { lines.append(describe(kind, evaluation)) }
        for diagram in report.reliability {
            let title = diagram.name == "traded" ? "traded side (signals at the chosen thresholds)" : "P(\(diagram.name))"
            lines.append("  reliability \(title): ECE \(F.number(diagram.expectedCalibrationError)), \(diagram.samples) samples")
            for bin in diagram.bins {
                lines.append("    [\(F.number(bin.lower, digits: 2)), \(F.number(bin.upper, digits: 2))) n \(pad(String(bin.samples), 6)) mean p "
                    + "\(F.number(bin.meanConfidence, digits: 3)) observed \(F.number(bin.observedFrequency, digits: 3)) "
                    + "[\(F.number(bin.observedLower, digits: 3)) … \(F.number(bin.observedUpper, digits: 3))]")
            }
        }
        return lines
    }

    static func drift(_ report: EvaluationReport) -> [String] {
        var lines = ["DRIFT CHECK: coverage per fold against the pooled walk-forward coverage (a DRIFTED mark: moved by >= 5 points "
            + "and by a factor of 2); `qt backtest` and `qt model report --data` check new data the same way"]
        lines.append("threshold  pooled  " + report.folds.map { pad("fold \($0.index + 1)", 10) }.joined())
        for (index, threshold) in DecisionRule.reportThresholds.enumerated() {
            let reference = report.pooled.ensemble.thresholds[index].summary.coverage
            var line = pad(F.number(threshold, digits: 2), 11) + pad(F.percent(reference), 8)
            for fold in report.coverageByFold where index < fold.count {
                line += pad(F.percent(fold[index].observed) + (fold[index].drifted ? "!" : ""), 10)
            }
            lines.append(line)
        }
        let drifted = report.coverageByFold.enumerated().flatMap { fold, checks in checks.filter(\.drifted).map { (fold, $0) } }
        if !drifted.isEmpty {
            lines.append("  WARNING: coverage drifted between folds at " + drifted.map { "fold \($0.0 + 1) >= \(F.number($0.1.threshold, digits: 2))" }
                .joined(separator: ", "))
        }
        return lines
    }

    static func regimes(_ report: EvaluationReport) -> [String] {
        var lines = ["REGIMES of the chosen configuration's trades (long n/exp, short n/exp)"]
        for split in report.regimes {
            lines.append("  " + pad(split.dimension, 12) + pad(split.bucket, 24) + pad("\(split.trades) trades \(F.signedPercent(split.expectancy))", 24)
                + pad("long \(split.long.trades)/\(F.signedPercent(split.long.expectancy))", 22)
                + "short \(split.short.trades)/\(F.signedPercent(split.short.expectancy))")
        }
        return lines
    }

    static func insight(_ report: EvaluationReport) -> [String] {
        var lines = ["INSIGHT: top 5 features per fold (gain share in training / mean |SHAP| share on the test window)"]
        let names = report.featureSet.names
        for fold in report.folds {
            for importance in fold.importance {
                let gain = FeatureImportance.top(importance.gainShare, names: names).map { "\($0.name) \(F.percent($0.share, digits: 0))" }
                let shap = FeatureImportance.top(importance.shapShare, names: names).map { "\($0.name) \(F.percent($0.share, digits: 0))" }
                lines.append("  fold \(fold.index + 1) \(pad(importance.model, 9)) gain: " + gain.joined(separator: ", "))
                lines.append("  \(pad("", 16)) SHAP: " + shap.joined(separator: ", "))
            }
            for warning in fold.warnings { lines.append("  WARNING fold \(fold.index + 1): \(warning)") }
        }
        return lines
    }

    /// The baselines on each fold's test window beside the model's trades there: a pooled
    /// figure can hide a fold where the model only matched the drift (always-long) or random timing.
    static func baselinesByFold(_ report: EvaluationReport) -> [String] {
        var lines = ["BASELINES PER FOLD (each fold's test window; random entry with that fold's coverage and long/short mix)"]
        for fold in report.folds {
            let model = fold.chosen.map {
                "\($0.trades) trades, expectancy \(F.signedPercent($0.expectancy)); long \($0.long.trades)/\(F.signedPercent($0.long.expectancy)), "
                    + "short \($0.short.trades)/\(F.signedPercent($0.short.expectancy))"
            } ?? "no threshold chosen: no trades"
            lines.append("  fold \(fold.index + 1) (threshold \(F.number(fold.choice.threshold, digits: 2))): model \(model)")
            for baseline in fold.baselines { lines.append("    " + describe(baseline)) }
        }
        return lines
    }

    static func leaveOneSymbolOut(_ report: EvaluationReport) -> [String] {
        var lines = ["LEAVE ONE SYMBOL OUT: each symbol judged by models trained on the others only (beside: the pooled walk-forward on it)",
                     pad("", 24) + "signals trades expectancy 95% low   95% high  total     long n/exp          short n/exp"]
        for holdout in report.leaveOneSymbolOut {
            lines.append("  " + pad(holdout.symbol, 12) + "held out: " + summaryCells(holdout.heldOut))
            lines.append("  " + pad("", 12) + "pooled:   " + summaryCells(holdout.pooled))
        }
        return lines
    }

    static func exitEngine(_ exit: ExitEngineComparison, barrier: TradeSummary) -> [String] {
        [
            "UNDER THE EXIT ENGINE (\(exit.configuration) [exit]): the chosen signals replayed through the backtest kernel",
            "  barrier labels: \(barrier.trades) trades, expectancy \(F.signedPercent(barrier.expectancy)) "
                + "[\(F.signedPercent(barrier.interval?.lower)) … \(F.signedPercent(barrier.interval?.upper))], total \(F.signedPercent(barrier.totalReturn)), "
                + "long \(barrier.long.trades)/\(F.signedPercent(barrier.long.expectancy)), short \(barrier.short.trades)/\(F.signedPercent(barrier.short.expectancy))",
            "  exit engine:    \(exit.trades) trades, expectancy \(F.signedPercent(exit.expectancy)) "
                + "[\(F.signedPercent(exit.interval?.lower)) … \(F.signedPercent(exit.interval?.upper))], total \(F.signedPercent(exit.totalReturn)), "
                + "long \(exit.long.trades)/\(F.signedPercent(exit.long.expectancy)), short \(exit.short.trades)/\(F.signedPercent(exit.short.expectancy)), "
                + "profit factor \(F.number(exit.profitFactor, digits: 2)), \(exit.wins) of \(exit.trades) trades won; \(exit.signalsReplayed) signals replayed "
                + "(the kernel ignores a same-side signal while a position is open)",
            "  exits: " + exit.exitReasons.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "),
        ]
    }
}

extension ReportText {
    /// `qt model report DIR --data FILE…`: the model on later data.
    public static func heldOut(_ evaluation: HeldOutEvaluation) -> [String] {
        var lines = ["HELD-OUT DATA \(evaluation.start)...\(evaluation.end) (\(evaluation.decisionBars) decision bars, after the training window)"]
        if let threshold = evaluation.threshold, let summary = evaluation.summary {
            lines.append("  at the final model's chosen threshold \(F.number(threshold, digits: 2)): " + summaryCells(summary))
            lines.append("  (signals, trades, expectancy, 95% low, 95% high, total, long n/exp, short n/exp)")
        } else {
            lines.append("  the final model chose no threshold: it would not trade")
        }
        for baseline in evaluation.baselines { lines.append("  " + describe(baseline)) }
        lines.append("  DRIFT CHECK (coverage here vs the walk-forward):")
        for check in evaluation.drift { lines.append("    " + check.description) }
        if evaluation.drift.contains(where: \.drifted) {
            lines.append("  WARNING: coverage drifted: " + CoverageDrift.explanation(evaluation.drift))
        }
        lines.append("  every threshold here (information only):")
        for row in evaluation.thresholds {
            lines.append("    " + pad(F.number(row.threshold, digits: 2), 6) + summaryCells(row.summary))
        }
        return lines
    }
}
