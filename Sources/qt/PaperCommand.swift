import Alerts
import ArgumentParser
import Dashboard
import Foundation
import Logging
import ServiceLifecycle
import TraderApp
import TradingEngine
import TradingModel
import TradingConfig

/// `qt paper --config FILE --data FILE...`: the live runtime (same kernel, exit owners, watchdog,
/// reconciliation) with simulated execution, on candle files replayed in time order. Offline.
/// `--venue URL` trades on a Binance(-compatible) market stream; `--local-venue FILE` starts the
/// local venue in-process on that file and trades on its stream, in one command.
struct PaperCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "paper",
        abstract: "Paper-trade: the live runtime with simulated execution on replayed candle files (offline)."
    )

    @Option(name: .long, help: "The TOML configuration ([execution], [strategy], [backtest], [fees], [account]).")
    var config: String

    @Option(name: .long, parsing: .upToNextOption, help: "Kline files (Binance CSV, plain or .gz) to replay as market data.")
    var data: [String] = []

    @Option(name: .long, help: "A Binance(-compatible) WebSocket base URL for live market data, e.g. wss://fstream.binance.com or ws://127.0.0.1:8080.")
    var venue: String?

    @Option(name: .long, help: "Symbols to paper-trade on --venue, comma-separated (e.g. LINKUSDT,NEARUSDT).")
    var symbols: String?

    @Option(name: .long, help: "With --venue: the REST base URL whose public klines back-fill the warm-up (default: the API host of --venue, e.g. https://fapi.binance.com for wss://fstream.binance.com, http://HOST:PORT for ws://HOST:PORT).")
    var rest: String?

    @Option(name: .customLong("local-venue"), help: "A 1m kline file: run the local venue on it in-process (127.0.0.1, any free port) and paper-trade its WebSocket stream.")
    var localVenue: String?

    @Option(name: .long, help: "With --local-venue: venue time runs this many times faster than real time (default: as fast as the session consumes the prices).")
    var speed: Double?

    @Option(name: .long, help: "With --local-venue: replay only the first N bars of the file.")
    var bars: Int?

    @Option(name: .long, help: "With --venue or --local-venue: file with QT_TELEGRAM_BOT_TOKEN=… (and QT_WEBHOOK_SECRET=…) for [alerts], outside the repository, mode 600. Default: the environment.")
    var keyFile: String?

    func validate() throws {
        let sources = [!data.isEmpty, venue != nil, localVenue != nil].filter { $0 }.count
        if sources == 0 { throw ValidationError("give candle files with --data FILE... (or a market-data venue with --venue URL, or --local-venue FILE)") }
        if sources > 1 { throw ValidationError("give one of --data, --venue or --local-venue") }
        if venue != nil && (symbols ?? "").isEmpty { throw ValidationError("--venue needs --symbols LINKUSDT,...") }
        if rest != nil && venue == nil { throw ValidationError("--rest goes with --venue URL") }
        if let venue, rest == nil, PaperRunner.restURL(forStreams: venue) == nil {
            throw ValidationError("--venue \(venue) is not a ws:// or wss:// URL; give it as one (or name the REST base for the back-fill with --rest URL)")
        }
        if localVenue == nil && (speed != nil || bars != nil) { throw ValidationError("--speed and --bars go with --local-venue FILE") }
        if let speed, !(speed > 0) { throw ValidationError("--speed must be a positive number (omit it to replay as fast as the session consumes)") }
        if let bars, bars < 2 { throw ValidationError("--bars must be at least 2") }
        if keyFile != nil && !data.isEmpty { throw ValidationError("--key-file goes with --venue or --local-venue (file replays send no alerts)") }
    }

    func run() async throws {
        let appConfig: AppConfig
        do { appConfig = try AppConfig.load(path: config) } catch {
            for line in error.errors { printLiveError(line.description) }
            throw ExitCode.failure
        }
        AppLogging.apply(appConfig.logging)
        let source: PaperSource
        if let localVenue {
            let pacing: LocalVenuePaper.Pacing = speed.map { .realTime(speed: $0, sleep: { try await Task.sleep(for: $0) }) } ?? .lockstep(window: 16)
            source = .localVenue(file: localVenue, bars: bars, pacing: pacing)
        } else if let venue {
            var parsed: [Symbol] = []
            for name in (symbols ?? "").split(separator: ",").map({ String($0).trimmingCharacters(in: .whitespaces) }) {
                guard let symbol = Symbol(name) else { throw ValidationError("--symbols: '\(name)' is not a symbol") }
                parsed.append(symbol)
            }
            source = .venue(websocketURL: venue, restURL: rest, symbols: parsed)
        } else {
            source = .files(data)
        }
        let environment = TraderEnvironment(variables: ProcessInfo.processInfo.environment, keyFile: keyFile,
                                            repositoryRoot: LiveCommand.repositoryRoot(), console: StandardErrorAlerting(),
                                            logger: Logger(label: "qt.paper"), say: PaperCommand.say)
        let trader: Trader
        do { trader = try TraderBuilder(appConfig, environment: environment).build(.paper(source)) } catch {
            printStartupError(error)
            throw ExitCode.failure
        }
        if case .venue(let venue, _, let parsed) = source {
            let restURL = rest ?? PaperRunner.restURL(forStreams: venue) ?? venue
            let channels = trader.alerts.map { $0.channels.isEmpty ? "store and log only" : $0.channels.joined(separator: ", ") } ?? "none"
            print("paper: \(parsed.map(\.name).joined(separator: ", ")) on \(venue), history from \(restURL)/fapi/v1/klines, simulated execution; "
                  + "alerts: \(channels); Ctrl-C to stop")
        }
        let outcome: TraderOutcome
        do { outcome = try await trader.run() } catch is CancellationError {
            print("paper: stopped (Ctrl-C); the run stays open in the store")
            return
        } catch let error as StartupError {
            printStartupError(error)
            throw ExitCode.failure
        } catch {
            printLiveError("\(error)")
            throw ExitCode.failure
        }
        let store = trader.store
        switch outcome {
        case .paper(let result): printPaperSummary(result, store: store, storePath: appConfig.storage.path)
        case .localVenuePaper(let result): printLocalVenueSummary(result, store: store, storePath: appConfig.storage.path)
        case .backtest, .live: break
        }
    }
}

extension PaperCommand {
    func printPaperSummary(_ result: PaperRunResult, store: (any TradeStore)?, storePath: String) {
        let net = result.trades.reduce(Money.zero) { $0 + $1.netPnL }
        print("paper: \(result.symbols.map(\.name).joined(separator: ", ")) (simulated execution)")
        print("  trades: \(result.trades.count)")
        print("  net PnL: \(net) USDT")
        print("  wallet: \(result.walletBalance) USDT")
        print("  alerts: \(result.alerts.filter { $0.severity == .critical }.count) critical, \(result.alerts.count) total")
        if let store, let line = Self.decisionsLine(store: store, runID: result.runID) { print(line) }
        printRuntimeMetrics()
        print("store:  paper run \(result.runID) recorded in \(storePath)")
        for note in result.notes { print("note:   \(note)") }
    }

    /// `--local-venue FILE`: the summary with the positions left open (entries and exits were
    /// logged to stderr as they happened).
    func printLocalVenueSummary(_ outcome: LocalVenuePaper.Outcome, store: (any TradeStore)?, storePath: String) {
        if outcome.stopped { print("paper: stopped (Ctrl-C) before the end of the file; the run is finished in the store") }
        let result = outcome.run
        let net = result.trades.reduce(Money.zero) { $0 + $1.netPnL }
        print("paper: \(outcome.symbol) on the local venue, \(outcome.bars) bars to \(outcome.finalState.time) (simulated execution)")
        print("  trades: \(result.trades.count)")
        print("  net PnL: \(net) USDT (closed trades)")
        print("  wallet: \(result.walletBalance) USDT")
        print("  open positions: \(outcome.finalState.positions.count)")
        for view in outcome.finalState.positions {
            let position = view.position
            print("    \(position.symbol) \(position.side) \(position.quantity) @ \(position.entryPrice)  stop \(view.stopPrice.map { "\($0)" } ?? "none")  "
                  + "targets \(view.targetPrices.isEmpty ? "none" : view.targetPrices.map { "\($0)" }.joined(separator: ","))  "
                  + "backstop \(view.backstopPrice.map { "\($0)" } ?? "none")")
        }
        print("  alerts: \(result.alerts.filter { $0.severity == .critical }.count) critical, \(result.alerts.count) total")
        if let store, let line = Self.decisionsLine(store: store, runID: result.runID) { print(line) }
        printRuntimeMetrics()
        print("store:  paper run \(result.runID) recorded in \(storePath)")
        for note in result.notes { print("note:   \(note)") }
    }

    /// `  decisions: N signals judged by the entry gate, A taken, R rejected`, or why the store
    /// could not tell (the summary goes on, saying so).
    static func decisionsLine(store: any TradeStore, runID: Int64) -> String? {
        let decisions: [DecisionRecord]
        do { decisions = try store.decisions(runID: runID) } catch { return "  decisions: the store could not be read (\(error))" }
        let taken = decisions.filter(\.approved).count
        return "  decisions: \(decisions.count) signals judged by the entry gate, \(taken) taken, \(decisions.count - taken) rejected"
    }

    /// One line on stdout, written at once (before the session's log lines on stderr).
    @Sendable static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}

/// Critical and warning alerts to stderr (the app's only alert channel for now).
struct StandardErrorAlerting: Alerting {
    func send(_ alert: Alert) async {
        guard alert.severity >= .warning else { return }
        FileHandle.standardError.write(Data("[\(alert.severity.rawValue)] \(alert.kind): \(alert.message)\n".utf8))
    }
}

func printLiveError(_ line: String) {
    FileHandle.standardError.write(Data(("error: " + line + "\n").utf8))
}

/// A start-up refusal: the message, its code and field, and the cause underneath.
func printStartupError(_ error: StartupError) {
    let lines = error.lines
    printLiveError(lines[0])
    for line in lines.dropFirst() { FileHandle.standardError.write(Data((line + "\n").utf8)) }
}

/// The real-time runtime's counters (swift-metrics, `AppMetrics.registry`), one line.
func printRuntimeMetrics() {
    let rows = AppMetrics.registry.snapshot().filter { $0.label.hasPrefix("qt_runtime_") }
    guard !rows.isEmpty else { return }
    print("  metrics: " + rows.map { "\($0.label.dropFirst("qt_runtime_".count))=\($0.value)" }.joined(separator: " "))
    if let latency = AppMetrics.registry.snapshot().first(where: { $0.label == "qt_price_event_to_order_seconds" }) {
        print("  price event to order: \(latency.value)")
    }
}
