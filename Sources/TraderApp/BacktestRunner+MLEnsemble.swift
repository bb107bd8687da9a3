import Backtest
import Foundation
import Signals
import TradingEngine
import TradingModel

extension BacktestRunner {
    /// The `ml-ensemble` case of `run`: model and period checks (before anything is written),
    /// then the shared path (`run(config:data:strategies:…)`) with one `MLEnsembleSymbolStrategy`
    /// per symbol, so every `entry_gate` × `[execution] policy` combination is wired as for
    /// `ema-cross` (`BacktestWiring`). The run also gets the model's alerts (no signal because of
    /// an error or missing features; the in-sample warning), `signals.csv`, the model version in
    /// the title and the store label, and the model's notes.
    ///
    /// The signals carry the ensemble's calibrated probability of the chosen side as their
    /// confidence, so under `entry_gate = "validator"` the confidence check judges the model's
    /// own confidence (`[validation] confidence_minimum`), on top of the model's `threshold`.
    static func runMLEnsemble(config: AppConfig, strategy: StrategySettings, dataFiles: [String], outputDirectory: String?,
                              store: (any TradeStore)?, createStore: (() throws -> any TradeStore)?, recordsRun: Bool,
                              kind: RunKind = .backtest, progress: ((Int64, Int64) -> Void)?) throws -> BacktestRunResult {
        guard let ml = strategy.mlEnsemble else { throw BacktestRunError("[strategy] ml-ensemble needs model_dir and threshold") }
        let settings = config.backtest
        let ensemble = try MLStrategyFactory.loadModel(directory: ml.modelDirectory)
        let data = try BacktestData.load(files: dataFiles, fundingFiles: settings.fundingFiles, symbol: settings.dataSymbol,
                                         limits: settings.candleLimits(for:))
        let periodEnd = data.candles.compactMap { $0.last?.openTime }.max() ?? data.start
        let prepared = try MLStrategyFactory.prepare(ensemble: ensemble, settings: ml, stopLoss: strategy.stopLoss, takeProfit: strategy.takeProfit,
                                                     symbols: data.symbols, periodStart: data.start, periodEnd: periodEnd,
                                                     barInterval: data.interval)
        // The replay is synchronous on this thread: the shared signal source is only touched here.
        let source = prepared.source
        let inSample = prepared.inSample
        let start = data.start
        let additions = BacktestRunAdditions(
            name: "\(MLEnsembleStrategy.name)@\(ensemble.version)", titleSuffix: inSample ? " (IN-SAMPLE)" : "",
            alertsAfterReplay: {
                // The kernel emitted the alerts raised during the replay; these come after it.
                source.checkCoverage(at: periodEnd)
                var alerts = source.takeNewAlerts()
                if inSample {
                    alerts.insert(Alert(severity: .warning, kind: "ml.in_sample_period",
                                        message: "backtest period overlaps the model's training window (forced): results are in-sample",
                                        symbol: nil, time: start), at: 0)
                }
                return alerts
            },
            writeFiles: { directory, output in
                try MLSignalLog.write(signals: source.signals, decisions: output.decisions, directory: directory)
            })
        var result = try run(config: config, data: data, strategies: prepared.strategies, dataFiles: dataFiles,
                             outputDirectory: outputDirectory, store: store, createStore: createStore, recordsRun: recordsRun, kind: kind,
                             additions: additions,
                             progress: progress)
        let longs = source.signals.filter { $0.side == .long }.count
        var answers = "model answers     \(source.predictions) decision bars: \(source.signals.count) signals (\(longs) long, "
        answers += "\(source.signals.count - longs) short), \(source.refusals) refused with a critical alert"
        if source.featureRestarts > 0 { answers += "; features restarted at \(source.featureRestarts) gap(s) in the 1m candles" }
        var drift: [String] = []
        if let checks = source.coverageDrift() {
            drift = checks.filter { $0.drifted || abs($0.threshold - ml.threshold) < 1e-9 }.map { "drift check       " + $0.description }
            if checks.contains(where: \.drifted) {
                drift.append("WARNING: the model signals at a rate its walk-forward never saw: " + CoverageDrift.explanation(checks))
            }
        }
        result.notes = prepared.notes + [answers] + drift + result.notes
        result.signals = source.signals
        return result
    }
}
