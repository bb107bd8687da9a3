import ArgumentParser
import TradingConfig
import Foundation
import TraderApp
import TradingModel
import TradingEngine
import Backtest

/// `qt backtest --config FILE --data FILE...`: replays candles through the trading kernel and the
/// simulated exchange, prints a summary and writes a run folder (trades.csv, equity.csv,
/// report.html). A progress bar goes to stderr only when stderr is a terminal.
struct BacktestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backtest",
        abstract: "Run a backtest on candle files and write a report folder."
    )

    @Option(name: .long, help: "The TOML configuration ([execution], [strategy], [exit], [validation], [sizing], [risk], [backtest], [fees], [account]).")
    var config: String

    @Option(name: .long, parsing: .upToNextOption, help: "Kline files (Binance CSV, plain or .gz); one or more, any symbols.")
    var data: [String]

    @Option(name: .long, help: "The symbol of every --data file (e.g. LINKUSDT), for files whose name does not start SYMBOL-INTERVAL- like Binance's; a file named for another symbol is refused.")
    var symbol: String?

    @Option(name: .long, help: "Run folder to write (default: <backtest.runs_directory>/<next number>).")
    var out: String?

    @Option(name: .long, help: "Replay these signals (CSV: time,symbol,side,confidence[,leverage]) through the validator and the exit engine instead of the strategy's.")
    var signals: String?

    @Flag(name: .long, help: "ml-ensemble: run even when the period overlaps the model's training window (results are in-sample).")
    var forceOverlap = false

    @Option(name: .long, help: ArgumentHelp("Override a setting of the file: KEY=VALUE with a dotted key and a TOML value (strategy.fast_period=8); repeatable.", valueName: "KEY=VALUE"))
    var set: [String] = []

    @Flag(name: .long, help: "Do not record the run in the [storage] store (research sweeps); the run folder is still written and an existing store's manual halt still applies.")
    var noStore = false

    @Flag(name: .long, help: "Print the summary as one JSON line on stdout (no other output there).")
    var json = false

    func validate() throws {
        if data.isEmpty { throw ValidationError("give at least one candle file with --data FILE") }
        if let symbol, Symbol(symbol) == nil {
            throw ValidationError("--symbol '\(symbol)' is not a symbol (upper-case letters and digits, like LINKUSDT)")
        }
    }

    func run() async throws {
        var appConfig: AppConfig
        do {
            appConfig = try AppConfig.load(path: config, overrides: set)
        } catch {
            for line in error.errors { printError(line.description) }
            throw ExitCode.failure
        }
        AppLogging.apply(appConfig.logging)
        appConfig.backtest.dataSymbol = symbol.flatMap { Symbol($0) }
        if forceOverlap {
            guard appConfig.strategy?.mlEnsemble != nil else {
                printError("--force-overlap applies only to [strategy] name = \"ml-ensemble\"")
                throw ExitCode.failure
            }
            appConfig.strategy?.mlEnsemble?.forceOverlap = true
        }
        let showProgress = isatty(STDERR_FILENO) == 1 && !json
        let progress: @Sendable (Int64, Int64) -> Void = { done, total in
            guard showProgress, total > 0 else { return }
            let width = 40
            let filled = Int(done * Int64(width) / total)
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            FileHandle.standardError.write(Data("\r[\(bar)] \(done)/\(total) bars".utf8))
            if done == total { FileHandle.standardError.write(Data("\n".utf8)) }
        }
        let request = BacktestRequest(dataFiles: data, outputDirectory: out, recordsRun: !noStore, signalsFile: signals, progress: progress)
        let result: BacktestRunResult
        let replayLines: [String]
        do {
            let trader = try TraderBuilder(appConfig).build(.backtest(request))
            guard case .backtest(let value, let lines) = try await trader.run() else { throw StartupError(.services, "the backtest did not run") }
            (result, replayLines) = (value, lines)
        } catch let error as StartupError {
            printStartupError(error)
            throw ExitCode.failure
        } catch {
            printError("\(error)")
            throw ExitCode.failure
        }
        if json {
            print(result.summary.jsonLine(symbols: result.symbols, configFingerprint: appConfig.fingerprint, notes: result.notes))
            return
        }
        print("backtest: \(result.symbols.map(\.name).joined(separator: ", ")) (\(data.count) file\(data.count == 1 ? "" : "s"))")
        if !replayLines.isEmpty {
            print("supplied signals (\(signals ?? "")): the entry gate's decision and the exit engine's outcome")
            for line in replayLines { print("  " + line) }
        }
        for line in result.notes { print("  " + line) }
        for line in result.summary.lines { print("  " + line) }
        for line in result.exitMetricsLines { print("  " + line) }
        if !result.rejectionTable.isEmpty {
            print("  validation (signals taken vs rejected, counterfactual returns of the rejected):")
            for line in result.rejectionTable.split(separator: "\n", omittingEmptySubsequences: false) { print("    " + line) }
        }
        if result.incidents > 0 { print("  watchdog incidents: \(result.incidents) (see incidents.txt and the alerts in the store)") }
        print("report: \(result.outputDirectory)/report.html")
        print("trades: \(result.outputDirectory)/trades.csv")
        print("equity: \(result.outputDirectory)/equity.csv")
        if appConfig.strategy?.name == .mlEnsemble { print("signals: \(result.outputDirectory)/signals.csv") }
        print(noStore ? "store:  not recorded (--no-store)"
                      : "store:  run\(result.runID.map { " #\($0)" } ?? "") recorded in \(appConfig.storage.location)")
    }

    private func printError(_ line: String) {
        FileHandle.standardError.write(Data(("error: " + line + "\n").utf8))
    }
}
