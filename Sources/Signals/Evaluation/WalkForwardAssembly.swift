import TradingModel

/// Turns the folds' predictions into the report's figures: per fold and pooled tables, the
/// chosen configuration's out-of-sample result with its baselines, reliability, coverage by
/// fold, regimes, the multiple-testing figures and the verdict.
struct WalkForwardAssembly {
    let dataset: SignalDataset
    let plan: TrainingPlan
    let symbols: [Symbol]
    let results: [EnsembleTrainer.FoldResult]

    var statistics: StatisticsSettings { plan.statistics }

    func report() -> EvaluationReport {
        let samples = dataset.samples
        var folds: [FoldReport] = []
        var pooledIndices: [Int] = []
        var pooled = EnsembleTrainer.Predictions(ensemble: [], ensembleRaw: [], models: [:])
        var chosenSides: [SignalClass] = []
        var randomDraws = Array(repeating: [SignalClass](), count: statistics.randomBaselineDraws)
        var chosenSignals: [ChosenSignal] = []
        for result in results {
            let testSamples = result.testIndices.map { samples[$0] }
            let fold = result.fold
            let outOfSample = outOfSampleReport(predictions: result.predictions, samples: testSamples, fold: fold.index)
            let sides = result.choice.threshold.map { PredictionEvaluation.sides(result.predictions.ensemble, threshold: $0) }
                ?? Array(repeating: .none, count: testSamples.count)
            let window = (testSamples.first?.time ?? dataset.dataStart, testSamples.last?.time ?? dataset.dataStart)
            let chosen = result.choice.threshold == nil ? nil
                : TradeSummary.compute(sides: sides, samples: testSamples, windowStart: window.0, windowEnd: window.1,
                                       bootstrap: statistics.bootstrap(seed: plan.seed(fold: fold.index, purpose: 2), stream: 0))
            let draws = randomSides(modelSides: sides, seed: plan.seed(fold: fold.index, purpose: 3))
            let baselines = baselines(samples: testSamples, modelExpectancy: chosen?.expectancy, randomDraws: draws, fold: fold.index)
            let used = fold.trainingIndices + fold.calibrationIndices
            let warnings = result.importance.flatMap { $0.calendarWarnings(names: dataset.featureSet.names, trainingDays: result.trainingDays) }
            folds.append(FoldReport(index: fold.index, trainingStart: used.map { samples[$0].time }.min() ?? dataset.dataStart,
                                    trainingEnd: used.map { samples[$0].endTime }.max() ?? dataset.dataStart,
                                    trainingSamples: fold.trainingIndices.count, calibrationSamples: fold.calibrationIndices.count,
                                    purgedSamples: fold.purgedCount, choice: result.choice, outOfSample: outOfSample, chosen: chosen,
                                    baselines: baselines, importance: result.importance, warnings: warnings))
            for (offset, side) in sides.enumerated() {
                guard let tradeSide = side.side else { continue }
                chosenSignals.append(ChosenSignal(symbol: testSamples[offset].symbol, time: testSamples[offset].time, side: tradeSide,
                                                  confidence: result.predictions.ensemble[offset][side], fold: fold.index))
            }
            pooledIndices += result.testIndices
            pooled.ensemble += result.predictions.ensemble
            pooled.ensembleRaw += result.predictions.ensembleRaw
            for (kind, probabilities) in result.predictions.models {
                let previous = pooled.models[kind] ?? ([], [])
                pooled.models[kind] = (previous.calibrated + probabilities.calibrated, previous.raw + probabilities.raw)
            }
            chosenSides += sides
            for draw in randomDraws.indices { randomDraws[draw] += draws[draw] }
        }
        let pooledSamples = pooledIndices.map { samples[$0] }
        let start = pooledSamples.first?.time ?? dataset.dataStart, end = pooledSamples.last?.time ?? dataset.dataStart
        let pooledReport = outOfSampleReport(predictions: pooled, samples: pooledSamples, fold: -1)
        let chosenTrades = PositionGate.select(sides: chosenSides, samples: pooledSamples)
        let observedDays = DayBlockBootstrap.days(of: pooledSamples.map(\.time))
        let chosenSummary = TradeSummary.summarize(trades: chosenTrades, signals: chosenSides.filter { $0 != .none }.count,
                                                   decisionBars: pooledSamples.count, windowStart: start, windowEnd: end,
                                                   bootstrap: statistics.bootstrap(seed: plan.seed(fold: -1, purpose: 2), stream: 0),
                                                   observedDays: observedDays)
        let chosen = ChosenConfigurationReport(summary: chosenSummary,
                                               baselines: baselines(samples: pooledSamples, modelExpectancy: chosenSummary.expectancy,
                                                                    randomDraws: randomDraws, fold: -1))
        let multipleTesting = multipleTestingReport(pooledSamples: pooledSamples, pooled: pooled.ensemble, chosenTrades: chosenTrades,
                                                    start: start, end: end, observedDays: observedDays)
        let reliability = ReliabilityDiagram.all(probabilities: pooled.ensemble, samples: pooledSamples, tradedSides: chosenSides.map(\.side),
                                                 windowStart: start, windowEnd: end,
                                                 bootstrap: statistics.bootstrap(seed: plan.seed(fold: -1, purpose: 4), stream: 0))
        let reference = pooledReport.ensemble.thresholds
        let coverageByFold = folds.map { fold in
            zip(fold.outOfSample.ensemble.thresholds, reference).map { row, pooledRow in
                CoverageDrift.check(threshold: row.threshold, reference: pooledRow.summary.coverage, signals: row.summary.signals,
                                    decisionBars: fold.outOfSample.testSamples)
            }
        }
        var labelCounts = [0, 0, 0]
        for sample in samples { labelCounts[sample.label.rawValue] += 1 }
        var report = EvaluationReport(
            featureSet: dataset.featureSet, plan: plan, symbols: symbols.map(\.name), dataHash: dataset.dataHash,
            dataStart: dataset.dataStart, dataEnd: dataset.dataEnd, samples: samples.count, labelCounts: labelCounts,
            droppedForMissingFeatures: dataset.droppedForMissingFeatures, droppedForGaps: dataset.droppedForGaps,
            featureRestarts: dataset.featureRestarts, folds: folds, pooled: pooledReport, chosen: chosen, multipleTesting: multipleTesting,
            reliability: reliability, coverageByFold: coverageByFold,
            regimes: RegimeSplit.compute(trades: chosenTrades, samples: pooledSamples, featureSet: dataset.featureSet),
            leaveOneSymbolOut: [], finalChoice: nil, exitEngine: nil, edgeFound: false, verdict: "", verdictReasons: [],
            chosenSignals: chosenSignals, trainingSeconds: nil, finalModelVersion: nil)
        Verdict.apply(to: &report)
        report.modelComparison = modelComparison(pooledSamples: pooledSamples, pooled: pooledReport, start: start, end: end,
                                                 observedDays: observedDays)
        report.deepVersusTrees = report.modelComparison.map(ModelComparison.statement)
        report.weightsByFold = results.map(\.weights)
        return report
    }

    /// Each member alone at its own per-fold threshold, pooled (`ModelComparisonRow`).
    func modelComparison(pooledSamples: [LabeledSample], pooled: OutOfSampleReport, start: Timestamp, end: Timestamp,
                         observedDays: Set<Int64>) -> [ModelComparisonRow] {
        plan.models.enumerated().map { index, kind in
            var sides: [SignalClass] = []
            var thresholds: [Double?] = []
            for result in results {
                let probabilities = result.predictions.models[kind]?.calibrated ?? []
                let threshold = result.memberChoices[kind]?.threshold
                thresholds.append(threshold)
                sides += threshold.map { PredictionEvaluation.sides(probabilities, threshold: $0) }
                    ?? Array(repeating: .none, count: result.testIndices.count)
            }
            let trades = PositionGate.select(sides: sides, samples: pooledSamples)
            let summary = TradeSummary.summarize(trades: trades, signals: sides.filter { $0 != .none }.count, decisionBars: pooledSamples.count,
                                                 windowStart: start, windowEnd: end,
                                                 bootstrap: statistics.bootstrap(seed: plan.seed(fold: -1, purpose: 40 + UInt64(index)), stream: 0),
                                                 observedDays: observedDays)
            let weights = results.compactMap { index < $0.weights.count ? $0.weights[index] : nil }
            return ModelComparisonRow(kind: kind, deep: TrainingPlan.deepKinds.contains(kind), thresholds: thresholds,
                                      meanWeight: weights.reduce(0, +) / Double(max(1, weights.count)), summary: summary,
                                      logLoss: pooled.models[kind]?.metrics.logLoss ?? .nan)
        }
    }

    /// Every threshold's figures (table), per model and for the ensemble, on one set of samples.
    func outOfSampleReport(predictions: EnsembleTrainer.Predictions, samples: [LabeledSample], fold: Int) -> OutOfSampleReport {
        var models: [String: PredictionEvaluation] = [:]
        for (index, (kind, probabilities)) in predictions.models.sorted(by: { $0.key < $1.key }).enumerated() {
            models[kind] = PredictionEvaluation.compute(calibrated: probabilities.calibrated, uncalibrated: probabilities.raw, samples: samples,
                                                        statistics: statistics, seed: plan.seed(fold: fold, purpose: 10 + UInt64(index)))
        }
        let ensemble = PredictionEvaluation.compute(calibrated: predictions.ensemble, uncalibrated: predictions.ensembleRaw, samples: samples,
                                                    statistics: statistics, seed: plan.seed(fold: fold, purpose: 5))
        var counts = [0, 0, 0]
        for sample in samples { counts[sample.label.rawValue] += 1 }
        let n = Double(max(1, samples.count))
        return OutOfSampleReport(testStart: samples.first?.time ?? dataset.dataStart, testEnd: samples.last?.time ?? dataset.dataStart,
                                 testSamples: samples.count, ensemble: ensemble, models: models,
                                 majorityClassAccuracy: Double(counts.max() ?? 0) / n, alwaysFlatAccuracy: Double(counts[0]) / n,
                                 testDays: DayBlockBootstrap.days(of: samples.map(\.time)).sorted())
    }

    /// Random-entry draws with the coverage and long share of `modelSides`.
    func randomSides(modelSides: [SignalClass], seed: UInt64) -> [[SignalClass]] {
        let signals = modelSides.filter { $0 != .none }
        let coverage = modelSides.isEmpty ? 0 : Double(signals.count) / Double(modelSides.count)
        let longShare = signals.isEmpty ? 0 : Double(signals.filter { $0 == .long }.count) / Double(signals.count)
        return BaselineEvaluation.randomSides(count: modelSides.count, coverage: coverage, longShare: longShare,
                                              draws: statistics.randomBaselineDraws, seed: seed)
    }

    func baselines(samples: [LabeledSample], modelExpectancy: Double?, randomDraws: [[SignalClass]], fold: Int) -> [BaselineEvaluation] {
        let start = samples.first?.time ?? dataset.dataStart, end = samples.last?.time ?? dataset.dataStart
        var result = BaselineEvaluation.deterministicSides(samples: samples).enumerated().map { index, baseline in
            BaselineEvaluation(name: baseline.name,
                               summary: TradeSummary.compute(sides: baseline.sides, samples: samples, windowStart: start, windowEnd: end,
                                                             bootstrap: statistics.bootstrap(seed: plan.seed(fold: fold, purpose: 6), stream: UInt64(index))),
                               random: nil)
        }
        let draws = randomDraws.map { TradeSummary.compute(sides: $0, samples: samples, windowStart: start, windowEnd: end, bootstrap: nil) }
        if let first = draws.first {
            result.append(BaselineEvaluation(name: "random-entry", summary: first, random: RandomDraws(summaries: draws, modelExpectancy: modelExpectancy)))
        }
        return result
    }

    /// PBO over the table's daily returns (days with decision bars only: a gap in the data is not a
    /// day on which every threshold earned zero) and the deflated Sharpe ratio of the chosen trades.
    func multipleTestingReport(pooledSamples: [LabeledSample], pooled: [ClassProbabilities], chosenTrades: [SelectedTrade],
                               start: Timestamp, end: Timestamp, observedDays: Set<Int64>) -> MultipleTestingReport {
        let thresholds = DecisionRule.reportThresholds
        let firstDay = DayBlockBootstrap.day(start)
        let days = Int(DayBlockBootstrap.day(end) - firstDay) + 1
        var matrix = Array(repeating: Array(repeating: 0.0, count: thresholds.count), count: max(0, days))
        var trialSharpes: [Double] = []
        for (column, threshold) in thresholds.enumerated() {
            let trades = PositionGate.select(sides: PredictionEvaluation.sides(pooled, threshold: threshold), samples: pooledSamples)
            for trade in trades {
                let day = Int(DayBlockBootstrap.day(trade.entryTime) - firstDay)
                if day >= 0 && day < days { matrix[day][column] += trade.netReturn }
            }
            if let moments = SampleMoments(trades.map(\.netReturn)) { trialSharpes.append(moments.sharpeRatio) }
        }
        let observedRows = matrix.indices.filter { observedDays.contains(firstDay + Int64($0)) }.map { matrix[$0] }
        return MultipleTestingReport(
            configurations: thresholds.count,
            overfitting: OverfittingProbability.compute(returns: observedRows, partitions: statistics.overfittingPartitions),
            deflatedSharpe: DeflatedSharpeRatio.compute(returns: chosenTrades.map(\.netReturn), trialSharpeRatios: trialSharpes,
                                                        trials: thresholds.count))
    }
}
