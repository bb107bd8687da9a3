import Backtest
import Foundation
import CandleData
import TradingEngine
import TradingModel

/// Why a backtest could not run (bad data, missing instrument, unsupported wiring). Nothing is
/// written when this is thrown before the replay.
public struct BacktestRunError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { DisplayText.controlsEscaped(message) }
}

/// What `qt backtest` produced.
public struct BacktestRunResult: Sendable {
    /// Every signal the strategy produced (filled for `ml-ensemble`; the decisions hold the judged ones).
    public var signals: [Signal] = []
    /// Lines about the run for the terminal (`ml-ensemble`: model, windows, in-sample warning; the
    /// store's manual halt, which refused every entry of the run).
    public var notes: [String] = []
    public var summary: BacktestSummary
    public var output: BacktestOutput
    public var outputDirectory: String
    public var symbols: [Symbol]
    /// Exit-engine metrics lines (policy `exit-engine`), else empty.
    public var exitMetricsLines: [String] = []
    /// The rejection table with counterfactual returns (entry gate `validator`), else empty.
    public var rejectionTable: String = ""
    /// Watchdog incidents (critical protection failures) found during the replay.
    public var incidents: Int = 0
    /// The run's id in the store; nil when it was not recorded.
    public var runID: Int64?
}

/// What a strategy adds to the shared backtest path (`BacktestRunner.run(config:data:strategies:…)`).
struct BacktestRunAdditions {
    /// The strategy's name in the report title and the store label (`ml-ensemble@<model version>`).
    var name: String
    /// Appended to the name in the report title (` (IN-SAMPLE)`).
    var titleSuffix = ""
    /// Alerts the strategy raised during the replay, merged (by time) into the run's alerts
    /// before the report and the store record are written.
    var alertsAfterReplay: () -> [Alert] = { [] }
    /// Writes the strategy's own files into the run folder (after the report, before the store).
    var writeFiles: (_ directory: String, _ output: BacktestOutput) throws -> Void = { _, _ in }
}

/// Composition root of a backtest: loads the data, builds instruments and the strategy, wires
/// the entry gate, the exit owner and the runtime the configuration names (`BacktestWiring`),
/// runs the `BacktestEngine`, writes the run folder and records the run in the store when one
/// is given.
///
/// A store whose manual risk state is HALTED (`qt risk halt`) blocks every new entry of the run
/// (fail closed); the result says so in `notes`.
public enum BacktestRunner {
    /// Runs a backtest. `progress(done, total)` is called every 65,536 bars (and at the end).
    /// `store`: an existing store (its manual halt applies); `createStore`: makes the store the
    /// run is recorded in when there is none yet — called only once the run completed, so a run
    /// refused for its data or stopped early creates no store (`TradeStoreFactory.backtestStore`).
    /// `recordsRun` false (`qt backtest --no-store`, for sweeps): the run is not recorded in any
    /// store; `store` then only supplies the manual halt (it may be opened read-only).
    /// `kind` `.paper` (`qt paper --data`): no run folder is written and the run is recorded as a
    /// paper run.
    public static func run(config: AppConfig, dataFiles: [String], outputDirectory: String?,
                           store: (any TradeStore)? = nil, createStore: (() throws -> any TradeStore)? = nil,
                           recordsRun: Bool = true, kind: RunKind = .backtest,
                           progress: ((Int64, Int64) -> Void)? = nil) throws -> BacktestRunResult {
        if let strategy = config.strategy, strategy.name == .mlEnsemble {
            return try runMLEnsemble(config: config, strategy: strategy, dataFiles: dataFiles, outputDirectory: outputDirectory,
                                     store: store, createStore: createStore, recordsRun: recordsRun, kind: kind, progress: progress)
        }
        guard let strategy = config.strategy else {
            throw BacktestRunError("the configuration has no [strategy] section; a backtest needs one (name, entry_gate)")
        }
        let data = try BacktestData.load(files: dataFiles, fundingFiles: config.backtest.fundingFiles, symbol: config.backtest.dataSymbol,
                                         limits: config.backtest.candleLimits(for:))
        let strategies = data.symbols.map { EMACrossStrategy(symbol: $0, fastPeriod: strategy.fastPeriod, slowPeriod: strategy.slowPeriod) }
        return try run(config: config, data: data, strategies: strategies, dataFiles: dataFiles, outputDirectory: outputDirectory,
                       store: store, createStore: createStore, recordsRun: recordsRun, kind: kind, progress: progress)
    }

    /// Runs a backtest of `data` with `strategies` (one per symbol, in `data.symbols` order):
    /// the path every backtest takes after its data is loaded (tests use scripted strategies).
    /// `additions`: what the strategy adds to the shared path (`ml-ensemble`: its model alerts,
    /// `signals.csv`, the model version in the title and the store label).
    static func run<Strategy: TradingStrategy>(config: AppConfig, data: BacktestData, strategies: [Strategy], dataFiles: [String],
                                               outputDirectory: String?, store: (any TradeStore)?,
                                               createStore: (() throws -> any TradeStore)? = nil, recordsRun: Bool = true,
                                               kind: RunKind = .backtest, additions: BacktestRunAdditions? = nil,
                                               progress: ((Int64, Int64) -> Void)? = nil) throws -> BacktestRunResult {
        guard let strategy = config.strategy else {
            throw BacktestRunError("the configuration has no [strategy] section; a backtest needs one (name, entry_gate)")
        }
        let settings = config.backtest
        let writesFolder = kind == .backtest
        // A run folder that cannot be written is refused before the replay, not after it.
        if writesFolder { try BacktestReportError.checkWritable(outputDirectory ?? settings.runsDirectory) }
        let instruments = try data.symbols.map { symbol throws(BacktestRunError) in try settings.instrument(for: symbol) }
        let wiring = try BacktestWiring(config: config, strategy: strategy, instruments: instruments, interval: data.interval,
                                        start: data.start, store: store)
        let runtime = wiring.runtime
        let replay = Replay(data: data, instruments: instruments, settings: settings, runtime: runtime,
                            sendsTimers: wiring.exitEngine, progress: progress)
        var output = wiring.run(replay, strategies: strategies)
        // A ledger could not book a value from the data: the run stopped at that bar; no result
        // (report, store record) is written from it.
        if let fault = output.fault { throw fault }
        // Kernel and venue alerts first, then the runtime's, then the strategy's; a stable sort by time.
        let alerts = output.alerts + runtime.alerts + (additions?.alertsAfterReplay() ?? [])
        output.alerts = alerts.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
        let summary = BacktestSummary(output: output, initialBalance: settings.initialBalance)
        var result = BacktestRunResult(summary: summary, output: output, outputDirectory: "", symbols: data.symbols)
        if wiring.exitEngine { result.exitMetricsLines = ExitEngineReport(trades: runtime.exitTrades).lines }
        if var analysis = runtime.rejectionAnalysis {
            analysis.finish(at: output.equityCurve?.samples.last?.time ?? data.start)
            result.rejectionTable = analysis.render()
        }
        result.incidents = runtime.incidents.count
        if let halt = wiring.manualHalt {
            result.notes.append("the store's risk state is HALTED (manual, \(halt.detail)): every new entry of this run was refused; "
                                  + "`qt risk resume --db FILE --reason TEXT` lifts it")
        }
        let name = additions?.name ?? strategy.name.rawValue
        let title = "\(name) backtest\(additions?.titleSuffix ?? "") (\(config.execution.policy.rawValue), \(strategy.entryGate.rawValue)): "
            + data.symbols.map(\.name).joined(separator: ", ")
        let directory = writesFolder ? try outputDirectory ?? nextRunDirectory(in: settings.runsDirectory) : nil
        result.outputDirectory = directory ?? ""
        // The run folder and the store's record are written at the same time (on two cores the
        // user waits for the longer of the two, not their sum). Each is complete or reports its
        // error; a failure of one does not undo the other. A paper run writes no folder.
        let prices = zip(data.symbols, data.candles).map { ReportPriceSeries(symbol: $0, candles: $1) }
        let exitMetrics = result.exitMetricsLines, rejectionTable = result.rejectionTable, incidents = runtime.incidents
        let operations = runtime.operations, symbols = data.symbols, fingerprint = config.fingerprint
        let label = "\(name)/\(strategy.entryGate.rawValue)/\(config.execution.policy.rawValue)"
        let finished = output
        // A new store is created inside the store's piece of work (its schema is written with
        // synced commits), so that too runs beside the run folder instead of before it.
        let existingStore = recordsRun ? store : nil
        let makeStore = StoreMaker(make: recordsRun && store == nil ? createStore : nil)
        let outcomes = ParallelWork.map(count: 2) { piece -> Result<Int64?, any Error> in
            Result {
                if piece == 0 {
                    guard let directory else { return nil }
                    try BacktestReport.write(to: directory, title: title, output: finished, summary: summary, prices: prices)
                    try RunReportSections.append(to: directory, exitMetrics: exitMetrics, rejectionTable: rejectionTable,
                                                 incidents: incidents)
                    return nil
                } else if let store = try existingStore ?? makeStore.make?() {
                    return try BacktestStoreRecorder.record(output: finished, summary: summary, store: store, dataFiles: dataFiles,
                                                            symbols: symbols, label: label, configFingerprint: fingerprint,
                                                            operations: operations, kind: kind)
                }
                return nil
            }
        }
        for outcome in outcomes { if let id = try outcome.get() { result.runID = id } }
        if let directory { try additions?.writeFiles(directory, output) }
        return result
    }

    /// The `ema-cross` settings of a configuration (shared by `qt backtest` and `qt paper`).
    static func emaCrossSettings(strategy: StrategySettings, settings: BacktestSettings) -> EMACrossBacktest.Settings {
        EMACrossBacktest.Settings(
            fastPeriod: strategy.fastPeriod, slowPeriod: strategy.slowPeriod,
            entry: FixedNotionalEntryGate.Settings(notional: strategy.notional, leverage: strategy.leverage, stopMove: strategy.stopLoss,
                                                   targetMove: strategy.takeProfit, roundQuantityToStep: strategy.roundToExchangeGrid),
            stopMove: strategy.stopLoss, targetMove: strategy.takeProfit, roundLevelsToTick: strategy.roundToExchangeGrid,
            exchange: SimulatedExchangeSettings(fees: settings.fees, slippageBasisPoints: Int64(settings.slippageBasisPoints),
                                                latency: settings.latency, enforcePrecision: settings.enforcePrecision,
                                                defaultLeverage: settings.defaultLeverage),
            initialBalance: settings.initialBalance, path: settings.path, funding: .none, equitySampleInterval: settings.equitySampleInterval)
    }

    /// The store-creating closure, handed to the store's piece of `ParallelWork.map`: called at
    /// most once, on that piece's thread, while the calling thread waits for the pieces to finish
    /// (never used concurrently; `map` returns only after it ran).
    private struct StoreMaker: @unchecked Sendable {
        var make: (() throws -> any TradeStore)?
    }

    /// `runs/<n>` with the smallest n ≥ 1 that does not exist yet.
    static func nextRunDirectory(in base: String) throws -> String {
        var number = 1
        while FileManager.default.fileExists(atPath: base + "/" + String(number)) { number += 1 }
        return base + "/" + String(number)
    }
}
