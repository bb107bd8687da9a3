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
    public var description: String { message }
}

/// What `qt backtest` produced.
public struct BacktestRunResult: Sendable {
    public var summary: BacktestSummary
    public var output: BacktestOutput
    public var outputDirectory: String
    public var symbols: [Symbol]
    /// Exit-engine metrics lines (policy `exit-engine`), else empty.
    public var exitMetricsLines: [String] = []
    /// The rejection table with counterfactual returns (entry gate `validator`), else empty.
    public var rejectionTable: String = ""
    /// Notes for the user (e.g. the store's manual risk state, which backtests do not apply).
    public var notices: [String] = []
    /// Watchdog incidents (critical protection failures) found during the replay.
    public var incidents: Int = 0
}

/// Composition root of a backtest: loads the data, builds instruments, the strategy, the entry
/// gate and the exit owner named in the configuration, runs the `BacktestEngine` with the
/// runtime beside it (watchdog, risk supervision, recording), writes the run folder and
/// records the run in the store when one is given.
///
/// Wiring (fail closed: every combination is named in the configuration, none is a default):
/// - `[execution] policy`: `exit-engine` → `ExitExecutor` (`[exit]`) with a `.timer` at every bar
///   close and the `Watchdog` (`[watchdog]`); `reference-bracket` → `FixedBracketExit`.
/// - `[strategy] entry_gate`: `validator` → `PreTradeValidator` (`[validation]`, `[sizing]`,
///   `[risk]`) planning with the `ExitBrain`; `fixed-notional` → the benchmark sizer (with the
///   `ExitBrain`'s plan under the exit engine).
///
/// A manual halt recorded in the store (`qt risk halt`) does not affect backtests: a backtest
/// replays history with its own risk engine; the result notes the store's state.
public enum BacktestRunner {
    /// Runs a backtest. `progress(done, total)` is called every 65,536 bars (and at the end).
    public static func run(config: AppConfig, dataFiles: [String], outputDirectory: String?,
                           store: (any TradeStore)? = nil, progress: ((Int64, Int64) -> Void)? = nil) throws -> BacktestRunResult {
        guard let strategy = config.strategy else {
            throw BacktestRunError("the configuration has no [strategy] section; a backtest needs one (name, entry_gate)")
        }
        let brain: ExitBrain
        do { brain = try ExitBrain(settings: config.exit) } catch { throw BacktestRunError("[exit]: \(error)") }
        let data = try BacktestData.load(files: dataFiles, fundingFiles: config.backtest.fundingFiles)
        let settings = config.backtest
        let instruments = try data.symbols.map { symbol throws(BacktestRunError) in try settings.instrument(for: symbol) }
        let exitEngine = config.execution.policy == .exitEngine
        let validation = strategy.entryGate == .validator
            ? ValidationCore(validator: PreTradeValidator(settings: config.validation, riskSettings: config.risk, planner: brain),
                             feeRate: settings.fees.takerRate)
            : nil
        let watchdog = exitEngine ? Watchdog(settings: config.watchdog, orderIDs: ClientOrderIDGenerator(runTag: "btwd")) : nil
        let runtime = BacktestRuntime(instruments: instruments, exitSettings: config.exit, watchdog: watchdog, validation: validation)
        let replay = Replay(data: data, instruments: instruments, settings: settings, strategy: strategy, runtime: runtime,
                            sendsTimers: exitEngine, progress: progress)
        let fixed = FixedNotionalEntryGate.Settings(notional: strategy.notional, leverage: strategy.leverage, stopMove: strategy.stopLoss,
                                                    targetMove: strategy.takeProfit, roundQuantityToStep: strategy.roundToExchangeGrid)
        let bracket = FixedBracketExit.Settings(stopMove: strategy.stopLoss, targetMove: strategy.takeProfit, armDelay: data.interval,
                                                roundToTick: strategy.roundToExchangeGrid)
        let exitSettings = config.exit
        let makeExecutor: (ExitOwnerContext) -> ExitExecutor = { context in
            ExitExecutor(plan: context.entry.plan, position: context.position, instrument: context.instrument, settings: exitSettings,
                         positionKey: context.positionKey, orderIDs: context.orderIDs)
        }
        var output: BacktestOutput
        switch (strategy.entryGate, config.execution.policy) {
        case (.fixedNotional, .referenceBracket):
            output = replay.run(gate: FixedNotionalEntryGate(settings: fixed)) { FixedBracketExit(context: $0, settings: bracket) }
        case (.fixedNotional, .exitEngine):
            output = replay.run(gate: BrainPlannedGate(inner: FixedNotionalEntryGate(settings: fixed), brain: brain), makeExit: makeExecutor)
        case (.validator, .referenceBracket):
            output = replay.run(gate: ValidatorGate(core: validation!)) { FixedBracketExit(context: $0, settings: bracket) }
        case (.validator, .exitEngine):
            output = replay.run(gate: ValidatorGate(core: validation!), makeExit: makeExecutor)
        }
        output.alerts += runtime.alerts
        output.alerts.sort { $0.time < $1.time }
        let summary = BacktestSummary(output: output, initialBalance: settings.initialBalance)
        var result = BacktestRunResult(summary: summary, output: output, outputDirectory: "", symbols: data.symbols)
        if exitEngine { result.exitMetricsLines = ExitEngineReport(trades: runtime.exitTrades).lines }
        if let validation {
            var analysis = validation.analysis
            analysis.finish(at: output.equityCurve?.samples.last?.time ?? data.start)
            result.rejectionTable = analysis.render()
        }
        result.incidents = runtime.incidents.count
        if let store, let manual = try ManualRiskState.latest(in: store), manual.state == "halted" {
            result.notices.append("the store's risk state is HALTED (manual, \(manual.detail)); backtests replay history and do not apply it")
        }
        let directory = try outputDirectory ?? nextRunDirectory(in: settings.runsDirectory)
        result.outputDirectory = directory
        let title = "\(strategy.name.rawValue) backtest (\(config.execution.policy.rawValue), \(strategy.entryGate.rawValue)): "
            + data.symbols.map(\.name).joined(separator: ", ")
        try BacktestReport.write(to: directory, title: title, output: output, summary: summary)
        try RunReportSections.append(to: directory, exitMetrics: result.exitMetricsLines, rejectionTable: result.rejectionTable,
                                     incidents: runtime.incidents)
        if let store {
            try BacktestStoreRecorder.record(output: output, summary: summary, store: store, dataFiles: dataFiles, symbols: data.symbols,
                                             label: "\(strategy.name.rawValue)/\(strategy.entryGate.rawValue)/\(config.execution.policy.rawValue)",
                                             operations: runtime.operations)
        }
        return result
    }

    /// `runs/<n>` with the smallest n ≥ 1 that does not exist yet.
    static func nextRunDirectory(in base: String) throws -> String {
        var number = 1
        while FileManager.default.fileExists(atPath: base + "/" + String(number)) { number += 1 }
        return base + "/" + String(number)
    }
}
