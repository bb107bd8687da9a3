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
    /// Every signal the strategy produced (filled for `ml-ensemble`; the decisions hold the judged ones).
    public var signals: [Signal] = []
    /// Lines about the run for the terminal (`ml-ensemble`: model, windows, in-sample warning).
    public var notes: [String] = []
    public var summary: BacktestSummary
    public var output: BacktestOutput
    public var outputDirectory: String
    public var symbols: [Symbol]
}

/// Composition root of a backtest: loads the data, builds instruments, the strategy, the entry
/// gate and the exit owner named in the configuration, runs the `BacktestEngine`, writes the run
/// folder and records the run in the store when one is given.
public enum BacktestRunner {
    /// Runs a backtest. `progress(done, total)` is called every 65,536 bars (and at the end).
    public static func run(config: AppConfig, dataFiles: [String], outputDirectory: String?,
                           store: (any TradeStore)? = nil, progress: ((Int64, Int64) -> Void)? = nil) throws -> BacktestRunResult {
        if let strategy = config.strategy, strategy.name == .mlEnsemble {
            return try runMLEnsemble(config: config, strategy: strategy, dataFiles: dataFiles, outputDirectory: outputDirectory,
                                     store: store, progress: progress)
        }
        guard let strategy = config.strategy else {
            throw BacktestRunError("the configuration has no [strategy] section; a backtest needs one (name, entry_gate)")
        }
        guard config.execution.policy == .referenceBracket else {
            throw BacktestRunError("strategy \(strategy.name.rawValue) with entry gate \(strategy.entryGate.rawValue) is protected by the "
                                   + "reference bracket exit; set [execution] policy = \"reference-bracket\" (the exit-engine policy is "
                                   + "not wired into backtests in this build)")
        }
        let data = try BacktestData.load(files: dataFiles, fundingFiles: config.backtest.fundingFiles)
        let settings = config.backtest
        let instruments = try data.symbols.map { symbol throws(BacktestRunError) in try settings.instrument(for: symbol) }
        let emaSettings = emaCrossSettings(strategy: strategy, settings: settings)
        let funding: [FundingSchedule] = data.symbols.map { symbol in
            switch settings.funding {
            case .none: .none
            case .constant: .constant(rate: settings.fundingRate, interval: settings.fundingInterval)
            case .file: .history(data.funding[symbol] ?? [])
            }
        }
        var engine = EMACrossBacktest.makeEngine(instruments: instruments, settings: emaSettings, interval: data.interval,
                                                 funding: funding, start: data.start)
        let total = data.barCount
        var done: Int64 = 0
        var cursor = data.makeCursor()
        while let (index, candle) = cursor.next() {
            engine.onCandle(candle, interval: data.interval, symbolIndex: index)
            done += 1
            if done & 0xFFFF == 0 { progress?(done, total) }
        }
        progress?(done, total)
        let output = engine.finish()
        let summary = BacktestSummary(output: output, initialBalance: settings.initialBalance)
        let directory = try outputDirectory ?? nextRunDirectory(in: settings.runsDirectory)
        let title = "ema-cross backtest: \(data.symbols.map(\.name).joined(separator: ", "))"
        try BacktestReport.write(to: directory, title: title, output: output, summary: summary)
        if let store { try BacktestStoreRecorder.record(output: output, summary: summary, store: store, dataFiles: dataFiles, symbols: data.symbols) }
        return BacktestRunResult(summary: summary, output: output, outputDirectory: directory, symbols: data.symbols)
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

    /// `runs/<n>` with the smallest n ≥ 1 that does not exist yet.
    static func nextRunDirectory(in base: String) throws -> String {
        var number = 1
        while FileManager.default.fileExists(atPath: base + "/" + String(number)) { number += 1 }
        return base + "/" + String(number)
    }
}
