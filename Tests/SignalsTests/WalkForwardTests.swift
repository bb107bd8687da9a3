import Foundation
import Signals
import Testing
import TradingModel
import TradingTestSupport

@Suite(.serialized, .ownThread) struct WalkForwardTests {
    static let symbol: Symbol = "TESTUSDT"

    static func dataset(_ candles: [Candle]) throws -> SignalDataset {
        try SignalDataset.build(candles: [symbol: candles], featureSet: .standard(marketContext: false),
                                labelSettings: SyntheticMarket.testLabels, decisionIntervalMinutes: 5, contextSource: nil)
    }

    static let plantedEdge: Result<(SignalDataset, EvaluationReport), any Error> = Result {
        let candles = SyntheticMarket.candles(seed: 31, count: SyntheticMarket.warmUpMinutes + 14_000, regimeDrift: 0.00012, regimeMinutes: 600)
        let data = try dataset(candles)
        return (data, try EnsembleTrainer.walkForward(dataset: data, plan: SyntheticMarket.plan(), symbols: [symbol]))
    }

    /// Persistent drift regimes (a known edge) are found: the thresholds chosen inside the
    /// training windows trade it out of sample with a positive bootstrap bound, above every
    /// baseline, with a deflated Sharpe ratio that survives the ten configurations tried.
    @Test func findsAPlantedEdge() throws {
        let (_, report) = try Self.plantedEdge.get()
        #expect(report.edgeFound, "\(report.verdict)")
        #expect(report.verdict.hasPrefix("EDGE out-of-sample"))
        let chosen = report.chosen.summary
        #expect(chosen.trades >= 30 && (chosen.interval?.lower ?? 0) > 0)
        #expect((report.multipleTesting.deflatedSharpe?.probability ?? 0) >= 0.95)
        #expect(report.folds.count == 3 && report.folds.allSatisfy { $0.choice.threshold != nil && $0.purgedSamples > 0 })
        #expect(report.chosen.baselines.map(\.name) == BaselineEvaluation.names)
        let random = try #require(report.chosen.baselines.last?.random)
        #expect((random.modelPValue ?? 1) < 0.05)
        // The position gate: never more trades than signals, and trades of one symbol never overlap.
        #expect(chosen.trades <= chosen.signals)
        #expect(report.pooled.ensemble.thresholds.allSatisfy { $0.summary.trades <= $0.summary.signals && $0.holmPValue != nil || $0.summary.trades < 2 })
        #expect(report.reliability.map(\.name) == ["NONE", "LONG", "SHORT", "traded"])
        #expect(report.folds.allSatisfy { $0.importance.count == 2 && $0.importance.allSatisfy { abs($0.gainShare.reduce(0, +) - 1) < 1e-9 } })
    }

    /// A seeded random walk has no edge, and the report says so plainly, naming why.
    @Test func reportsNoEdgeOnARandomWalk() throws {
        let candles = SyntheticMarket.candles(seed: 32, count: SyntheticMarket.warmUpMinutes + 14_000)
        let report = try EnsembleTrainer.walkForward(dataset: try Self.dataset(candles), plan: SyntheticMarket.plan(), symbols: [Self.symbol])
        #expect(!report.edgeFound)
        #expect(report.verdict.hasPrefix("NO tradeable edge out-of-sample"))
        #expect(!report.verdictReasons.isEmpty)
        let html = ReportHTML.render(report)
        #expect(html.contains("NO tradeable edge out-of-sample"))
        #expect(html.components(separatedBy: "<svg").count - 1 == 5)  // expectancy chart + 4 reliability diagrams
        let text = ReportText.lines(report).joined(separator: "\n")
        for heading in ["ALL FIGURES BELOW ARE OUT-OF-SAMPLE", "THE CHOSEN CONFIGURATION", "MULTIPLE TESTING", "EVERY THRESHOLD, POOLED",
                        "reliability P(LONG)", "DRIFT CHECK", "REGIMES", "INSIGHT", "random-entry", "always-long", "always-short"] {
            #expect(text.contains(heading), "missing \(heading)")
        }
        #expect(!text.lowercased().contains("in-sample accuracy"))
        #expect(report.pooled.ensemble.thresholds.map(\.threshold) == DecisionRule.reportThresholds)
        // Baselines per fold: every fold's own always-long, always-short, momentum and random entry.
        let lines = ReportText.lines(report)
        let perFold = try #require(lines.firstIndex { $0.hasPrefix("BASELINES PER FOLD") })
        for fold in report.folds {
            #expect(fold.baselines.map(\.name) == BaselineEvaluation.names)
            let header = try #require(lines[perFold...].firstIndex { $0.hasPrefix("  fold \(fold.index + 1) (threshold") })
            for (offset, name) in BaselineEvaluation.names.enumerated() {
                #expect(lines[header + 1 + offset].hasPrefix("    " + name), "fold \(fold.index + 1): \(name)")
            }
            // each fold's always-long trades only on that fold's test window, through the gate
            let alwaysLong = fold.baselines[0].summary
            #expect(alwaysLong.short.trades == 0 && alwaysLong.signals == fold.outOfSample.testSamples && alwaysLong.trades < alwaysLong.signals)
        }
        // qt train's summary: accuracy only beside the majority class and always flat.
        let summary = ReportText.trainSummary(report, directory: "runs/x")
        let accuracy = try #require(summary.first { $0.hasPrefix("pooled out-of-sample") })
        #expect(accuracy.contains(String(format: "majority class %.1f%%", report.pooled.majorityClassAccuracy * 100)))
        #expect(accuracy.contains(String(format: "always flat %.1f%%", report.pooled.alwaysFlatAccuracy * 100)))
        #expect(summary.contains("VERDICT: \(report.verdict)"))
    }

    /// The threshold is chosen inside each training window: rewriting the outcomes of the last
    /// test window (which no fold trains or calibrates on) changes no fold's choice, but changes
    /// that window's out-of-sample result.
    @Test func theThresholdIsChosenWithoutTheTestWindow() throws {
        let (data, report) = try Self.plantedEdge.get()
        var altered = data
        let lastTestStart = data.samples.count - (data.samples.count - Int(Double(data.samples.count) * 0.4)) / 3 * 1
        let start = report.folds.last.map { fold in data.samples.firstIndex { $0.time == fold.outOfSample.testStart }! } ?? lastTestStart
        for index in start..<altered.samples.count {
            altered.samples[index].longReturn = -0.01
            altered.samples[index].shortReturn = -0.01
        }
        let again = try EnsembleTrainer.walkForward(dataset: altered, plan: SyntheticMarket.plan(), symbols: [Self.symbol])
        #expect(again.folds.map(\.choice) == report.folds.map(\.choice))
        #expect(again.folds.last?.chosen?.expectancy != report.folds.last?.chosen?.expectancy)
        #expect(again.folds.dropLast().map(\.chosen) == report.folds.dropLast().map(\.chosen))
    }

    /// `qt model report DIR --data`: later data judged at the final model's own choice, beside the
    /// baselines (random entry with the model's coverage and mix there), and the drift check
    /// against the walk-forward's coverage.
    @Test func heldOutDataIsJudgedAtTheFinalChoiceWithTheDriftCheck() throws {
        let (data, walkForward) = try Self.plantedEdge.get()
        let plan = SyntheticMarket.plan()
        let final = try EnsembleTrainer.trainFinalChoosingThreshold(dataset: data, plan: plan, symbols: [Self.symbol],
                                                                    directory: SyntheticMarket.temporaryDirectory("held-out"))
        var report = walkForward
        report.finalChoice = final.choice
        let threshold = try #require(final.choice.threshold)
        let later = try Self.dataset(SyntheticMarket.candles(seed: 33, count: SyntheticMarket.warmUpMinutes + 4000, regimeDrift: 0.00012,
                                                             regimeMinutes: 600, offsetMs: 40 * DayBlockBootstrap.dayMs))
        let evaluation = try HeldOutEvaluation.compute(ensemble: final.ensemble, dataset: later, report: report)
        #expect(evaluation.threshold == threshold && evaluation.decisionBars == later.samples.count && evaluation.decisionBars >= 200)
        let summary = try #require(evaluation.summary)
        let row = try #require(evaluation.thresholds.first { $0.threshold == threshold })
        #expect(summary.signals == row.summary.signals && summary.trades == row.summary.trades && summary.trades > 0)
        #expect(evaluation.baselines.map(\.name) == BaselineEvaluation.names)
        let random = try #require(evaluation.baselines.last?.random)
        #expect(abs(random.meanTrades - Double(summary.trades)) < Double(summary.trades))  // same coverage: trades of the same order
        // The drift check compares with the walk-forward's coverage at each threshold.
        #expect(evaluation.drift.map(\.reference) == report.coverageReference)
        #expect(zip(evaluation.drift, evaluation.thresholds).allSatisfy { $0.observed == $1.summary.coverage })
        // Move the walk-forward's coverage at 0.50 far from what the model does here: flagged, and only there.
        let observed = evaluation.thresholds[0].summary.coverage
        report.pooled.ensemble.thresholds[0].summary.coverage = observed >= 0.075 ? observed / 3 : observed + 0.5
        for index in 1..<report.pooled.ensemble.thresholds.count {
            report.pooled.ensemble.thresholds[index].summary.coverage = evaluation.thresholds[index].summary.coverage
        }
        let drifted = try HeldOutEvaluation.compute(ensemble: final.ensemble, dataset: later, report: report)
        #expect(drifted.drift.map(\.drifted) == [true] + Array(repeating: false, count: drifted.drift.count - 1))
        #expect(ReportText.heldOut(drifted).contains { $0.hasPrefix("  WARNING: coverage drifted") })
        #expect(!ReportText.heldOut(drifted).filter { $0.contains("DRIFTED") }.isEmpty)
    }

    /// The embargo is a real gap before each test window (and before each calibration slice):
    /// no label the models see ends within it, so the folds differ with its length.
    @Test func theEmbargoIsAGapBeforeEachTestWindow() throws {
        let spans = (0..<2000).map { LabelSpan(start: Timestamp(milliseconds: Int64($0) * 300_000),
                                               end: Timestamp(milliseconds: Int64($0) * 300_000 + 3_600_000)) }
        func folds(_ embargo: Int) throws -> [WalkForwardFold] {
            try PurgedWalkForward.folds(spans: spans, settings: WalkForwardSettings(folds: 3, embargoMinutes: embargo))
        }
        for embargo in [0, 60, 1440] {
            for fold in try folds(embargo) {
                let testStart = spans[fold.testIndices.lowerBound].start.milliseconds
                let calibrationStart = spans[fold.calibrationIndices[0]].start.milliseconds
                let gap = Int64(embargo) * 60_000
                #expect(fold.calibrationIndices.allSatisfy { spans[$0].end.milliseconds < testStart - gap })
                #expect(fold.trainingIndices.allSatisfy { spans[$0].end.milliseconds < calibrationStart - gap })
                // nothing more than needed is dropped: the latest calibration label ends within 5 minutes before the gap
                #expect(fold.calibrationIndices.map { spans[$0].end.milliseconds }.max()! >= testStart - gap - 300_000)
            }
        }
        #expect(try folds(0) != folds(1440))
    }
}

/// Pooled multi-symbol training judged per symbol by models that never saw it.
@Suite(.serialized) struct LeaveOneSymbolOutTests {
    @Test func eachSymbolIsJudgedByModelsTrainedOnTheOthers() throws {
        let count = SyntheticMarket.warmUpMinutes + 9000
        let symbols: [Symbol] = ["AAAUSDT", "BBBUSDT"]
        var candles: [Symbol: [Candle]] = [:]
        for (index, symbol) in symbols.enumerated() {
            candles[symbol] = SyntheticMarket.candles(seed: 60 + UInt64(index), count: count, regimeDrift: 0.00012, regimeMinutes: 600,
                                                      startPrice: 50 * Double(index + 1))
        }
        var plan = SyntheticMarket.plan(folds: 2, rounds: 20)
        plan.basketContext = false
        plan.statistics.leaveOneSymbolOut = true
        plan.statistics.randomBaselineDraws = 20
        let data = try SignalDataset.build(candles: candles, featureSet: plan.featureSet(symbols: symbols), labelSettings: plan.labelSettings,
                                           decisionIntervalMinutes: plan.decisionIntervalMinutes, contextSource: nil)
        let report = try EnsembleTrainer.walkForward(dataset: data, plan: plan, symbols: symbols)
        #expect(report.leaveOneSymbolOut.map(\.symbol) == ["AAAUSDT", "BBBUSDT"])
        for holdout in report.leaveOneSymbolOut {
            // Both judge the same decision bars of the held-out symbol.
            #expect(holdout.heldOut.coverage >= 0 && holdout.pooled.trades <= holdout.pooled.signals)
            #expect(holdout.heldOut.trades > 0, "\(holdout.symbol): the planted regimes are common to both symbols' generator")
        }
        // The pooled walk-forward's trades on each symbol add up to its chosen trades (per-symbol gate).
        #expect(report.leaveOneSymbolOut.reduce(0) { $0 + $1.pooled.trades } == report.chosen.summary.trades)
        #expect(ReportText.lines(report).contains { $0.hasPrefix("LEAVE ONE SYMBOL OUT") })
        // qt train's one-line summary: accuracy beside the majority class and always flat.
        #expect(report.pooled.majorityClassAccuracy >= report.pooled.alwaysFlatAccuracy && report.pooled.majorityClassAccuracy > 0)
    }
}
