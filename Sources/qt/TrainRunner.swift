import CandleData
import Foundation
import TraderApp
import Signals
import TradingModel

/// Loads the data, runs the walk-forward evaluation, trains the final ensemble and writes the
/// model directory. Nothing is written until evaluation and training succeeded.
struct TrainRunner {
    var plan: TrainingPlan
    var dataFiles: [String]
    var directory: String
    /// `exit_config`: replay the chosen signals through this file's exit engine.
    var exitConfiguration: String?

    func run() throws -> EvaluationReport {
        let clock = ContinuousClock()
        let started = clock.now
        let progress = ProgressBar(enabled: isatty(STDERR_FILENO) == 1)
        let (candles, funding) = try Self.load(dataFiles) { index in progress.update(index + 1, dataFiles.count, "read \(dataFiles[index])") }
        let symbols = candles.keys.sorted()
        let dataset = try SignalDataset.build(candles: candles, funding: funding, featureSet: plan.featureSet(symbols: symbols),
                                              labelSettings: plan.labelSettings, decisionIntervalMinutes: plan.decisionIntervalMinutes,
                                              contextSource: plan.contextSource(symbols: symbols))
        progress.update(0, 1, "\(dataset.samples.count) samples built")
        var report = try EnsembleTrainer.walkForward(dataset: dataset, plan: plan, symbols: symbols) { done, total, message in
            progress.update(done, total, message)
        }
        let staging = directory + ".partial"
        try? FileManager.default.removeItem(atPath: staging)
        let final = try EnsembleTrainer.trainFinalChoosingThreshold(dataset: dataset, plan: plan, symbols: symbols, directory: staging)
        progress.finish("final ensemble trained")
        report.finalModelVersion = final.ensemble.version
        report.finalChoice = final.choice
        if let exitConfiguration {
            let window = report.folds.first.flatMap { first in report.folds.last.map { (first.outOfSample.testStart, $0.outOfSample.testEnd) } }
            report.exitEngine = try ExitEngineReplay.run(configPath: exitConfiguration, candles: candles, signals: report.chosenSignals,
                                                         outputDirectory: staging + "/exit-engine-replay",
                                                         bootstrap: plan.statistics.bootstrap(seed: plan.seed(fold: -1, purpose: 7), stream: 0),
                                                         window: window, observedDays: report.pooled.testDays.map(Set.init),
                                                         funding: funding)
        }
        report.trainingSeconds = Self.seconds(started.duration(to: clock.now))
        try ReportFiles.write(report, directory: staging)
        try? FileManager.default.removeItem(atPath: directory)
        try FileManager.default.createDirectory(atPath: (directory as NSString).deletingLastPathComponent.isEmpty ? "." : (directory as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try FileManager.default.moveItem(atPath: staging, toPath: directory)
        return report
    }

    /// One-minute klines and funding files by symbol (from the file names), sorted by time.
    static func load(_ dataFiles: [String], progress: (Int) -> Void = { _ in }) throws -> (candles: [Symbol: [Candle]], funding: [Symbol: [FundingRate]]) {
        var candles: [Symbol: [Candle]] = [:]
        var funding: [Symbol: [FundingRate]] = [:]
        for (index, path) in dataFiles.enumerated() {
            let name = DataFileName(path: path)
            guard let symbol = name.symbol else { throw TrainError("\(path): file name must start with the symbol (SYMBOL-1m-....csv.gz)") }
            if name.isFunding {
                funding[symbol, default: []] += try FundingRateReader.readAll(path: path).rates
            } else {
                let series = try CandleReader.readAll(path: path, interval: .oneMinute)
                candles[symbol, default: []] += series.candles
            }
            progress(index)
        }
        guard !candles.isEmpty else { throw TrainError("no one-minute kline files among --data") }
        for symbol in candles.keys {
            candles[symbol]?.sort { $0.openTime < $1.openTime }
            funding[symbol]?.sort { $0.fundingTime < $1.fundingTime }
        }
        return (candles, funding)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

/// A training input problem (bad data file list).
struct TrainError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
