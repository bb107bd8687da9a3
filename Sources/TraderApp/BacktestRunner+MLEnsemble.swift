import Backtest
import Foundation
import Signals
import TradingEngine
import TradingModel

extension BacktestRunner {
    /// The `ml-ensemble` case of `run`: wiring and model checks (before anything is written),
    /// replay through the fixed-notional gate and the reference bracket exit, run folder (plus
    /// `signals.csv`), store. Model alerts (no signal because of an error or missing features)
    /// join the run's alerts.
    ///
    /// Wiring is checked, never defaulted: this build trades the model with `entry_gate =
    /// "fixed-notional"` and `[execution] policy = "reference-bracket"` only; anything else is
    /// refused rather than silently replaced.
    static func runMLEnsemble(config: AppConfig, strategy: StrategySettings, dataFiles: [String], outputDirectory: String?,
                              store: (any TradeStore)?, progress: ((Int64, Int64) -> Void)?) throws -> BacktestRunResult {
        guard let ml = strategy.mlEnsemble else { throw BacktestRunError("[strategy] ml-ensemble needs model_dir and threshold") }
        guard config.execution.policy == .referenceBracket else {
            throw BacktestRunError("strategy ml-ensemble is protected by the reference bracket exit in this build; set [execution] "
                                   + "policy = \"reference-bracket\" (policy \"\(config.execution.policy.rawValue)\" is not wired for it)")
        }
        guard strategy.entryGate == .fixedNotional else {
            throw BacktestRunError("strategy ml-ensemble uses the fixed-notional entry gate in this build; set [strategy] "
                                   + "entry_gate = \"fixed-notional\" (\"\(strategy.entryGate.rawValue)\" is not wired for it)")
        }
        let settings = config.backtest
        let ensemble = try MLStrategyFactory.loadModel(directory: ml.modelDirectory)
        let data = try BacktestData.load(files: dataFiles, fundingFiles: settings.fundingFiles)
        let instruments = try data.symbols.map { symbol throws(BacktestRunError) in try settings.instrument(for: symbol) }
        let funding: [FundingSchedule] = data.symbols.map { symbol in
            switch settings.funding {
            case .none: .none
            case .constant: .constant(rate: settings.fundingRate, interval: settings.fundingInterval)
            case .file: .history(data.funding[symbol] ?? [])
            }
        }
        let periodEnd = data.candles.compactMap { $0.last?.openTime }.max() ?? data.start
        let prepared = try MLStrategyFactory.prepare(ensemble: ensemble, settings: ml, stopLoss: strategy.stopLoss, takeProfit: strategy.takeProfit,
                                                     symbols: data.symbols, periodStart: data.start, periodEnd: periodEnd,
                                                     barInterval: data.interval)
        // A store halted by hand (`qt risk halt`) refuses every entry of this run too.
        let manual = try store.flatMap { try ManualRiskState.latest(in: $0) }
        let halt = manual?.state == "halted" ? manual?.detail : nil
        let gate = ManualHaltGate(inner: FixedNotionalEntryGate(settings: FixedNotionalEntryGate.Settings(
            notional: strategy.notional, leverage: strategy.leverage, stopMove: strategy.stopLoss,
            targetMove: strategy.takeProfit, roundQuantityToStep: strategy.roundToExchangeGrid)), halt: halt)
        let exitSettings = FixedBracketExit.Settings(stopMove: strategy.stopLoss, targetMove: strategy.takeProfit, armDelay: data.interval,
                                                     roundToTick: strategy.roundToExchangeGrid)
        let kernel = TradingKernel<MLEnsembleSymbolStrategy, ManualHaltGate<FixedNotionalEntryGate>, FixedBracketExit>(
            instruments: instruments, strategies: prepared.strategies, gate: gate, initialBalance: settings.initialBalance,
            equitySampleInterval: settings.equitySampleInterval, runTag: "ml",
            makeExitOwner: { FixedBracketExit(context: $0, settings: exitSettings) })
        let exchange = SimulatedExchange(instruments: instruments, initialBalance: settings.initialBalance,
                                         settings: SimulatedExchangeSettings(fees: settings.fees, slippageBasisPoints: Int64(settings.slippageBasisPoints),
                                                                             latency: settings.latency, enforcePrecision: settings.enforcePrecision,
                                                                             defaultLeverage: settings.defaultLeverage))
        var engine = BacktestEngine(kernel: kernel, exchange: exchange, path: settings.path,
                                    funding: funding.map { FundingCursor($0, start: data.start) })
        // The replay is synchronous on this thread: the shared signal source is only touched here.
        let total = data.barCount
        var done: Int64 = 0
        var cursor = data.makeCursor()
        while let (index, candle) = cursor.next() {
            engine.onCandle(candle, interval: data.interval, symbolIndex: index)
            done += 1
            if done & 0xFFFF == 0 { progress?(done, total) }
        }
        progress?(done, total)
        var output = engine.finish()
        var alerts = prepared.source.alerts
        if prepared.inSample {
            alerts.insert(Alert(severity: .warning, kind: "ml.in_sample_period",
                                message: "backtest period overlaps the model's training window (forced): results are in-sample",
                                symbol: nil, time: data.start), at: 0)
        }
        output.alerts = (output.alerts + alerts).enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
        let summary = BacktestSummary(output: output, initialBalance: settings.initialBalance)
        let directory = try outputDirectory ?? nextRunDirectory(in: settings.runsDirectory)
        let title = "ml-ensemble@\(ensemble.version) backtest\(prepared.inSample ? " (IN-SAMPLE)" : ""): \(data.symbols.map(\.name).joined(separator: ", "))"
        try BacktestReport.write(to: directory, title: title, output: output, summary: summary)
        try MLSignalLog.write(signals: prepared.source.signals, decisions: output.decisions, directory: directory)
        if let store {
            try BacktestStoreRecorder.record(output: output, summary: summary, store: store, dataFiles: dataFiles, symbols: data.symbols,
                                             label: "\(MLEnsembleStrategy.name)@\(ensemble.version)", configFingerprint: config.fingerprint)
        }
        let source = prepared.source
        let longs = source.signals.filter { $0.side == .long }.count
        var notes = prepared.notes + [
            "model answers     \(source.predictions) decision bars: \(source.signals.count) signals (\(longs) long, "
                + "\(source.signals.count - longs) short), \(source.alerts.count) refused with a critical alert",
        ]
        if let halt { notes.append("the store's risk state is HALTED (manual, \(halt)): every new entry of this run was refused") }
        var result = BacktestRunResult(summary: summary, output: output, outputDirectory: directory, symbols: data.symbols)
        result.signals = source.signals
        result.notes = notes
        return result
    }
}
