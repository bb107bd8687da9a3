import Alerts
import ArgumentParser
import Dashboard
import Foundation
import Logging
import ServiceLifecycle
import TraderApp
import TradingEngine
import TradingModel

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
        let result: PaperRunResult
        let store: any TradeStore
        do {
            let storeSecrets = try StoreSecrets.load(environment: ProcessInfo.processInfo.environment, keyFile: keyFile,
                                                     repositoryRoot: LiveCommand.repositoryRoot())
            store = try TradeStoreFactory.make(appConfig.storage, secrets: storeSecrets)
            if let localVenue {
                try await runLocalVenue(localVenue, config: appConfig, store: store)
                return
            }
            if let venue {
                let names = (symbols ?? "").split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
                var parsed: [Symbol] = []
                for name in names {
                    guard let symbol = Symbol(name) else { throw ValidationError("--symbols: '\(name)' is not a symbol") }
                    parsed.append(symbol)
                }
                let clock = SystemClock()
                let restURL = rest ?? PaperRunner.restURL(forStreams: venue) ?? venue
                let alerts = try makeAlerts(appConfig, store: store, clock: clock, label: "paper on \(venue): \(names.joined(separator: ","))")
                let dashboard = try DashboardLaunch.make(appConfig, store: store, label: "paper on \(venue): \(names.joined(separator: ","))", clock: clock)
                let others = try DashboardLaunch.services(dashboard)
                let observer = DashboardLaunch.observer(alerts.observer, dashboard)
                print("paper: \(names.joined(separator: ", ")) on \(venue), history from \(restURL)/fapi/v1/klines, simulated execution; "
                      + "alerts: \(alerts.channels.isEmpty ? "store and log only" : alerts.channels.joined(separator: ", ")); Ctrl-C to stop")
                result = try await PaperVenueSession.run(config: appConfig, symbols: parsed, label: "paper on \(venue): \(names.joined(separator: ","))",
                                                         feed: PaperRunner.venueFeed(websocketURL: venue, clock: clock),
                                                         history: PaperRunner.venueHistory(restURL: restURL), store: store, alerts: alerts, clock: clock,
                                                         observer: observer, others: others)
            } else if appConfig.dashboard.enabled {
                guard let value = try await runFilesWithDashboard(appConfig, store: store) else { return }
                result = value
            } else {
                result = try await PaperRunner.run(config: appConfig, dataFiles: data, store: store, alerting: StandardErrorAlerting())
            }
        } catch {
            printLiveError("\(error)")
            throw ExitCode.failure
        }
        let net = result.trades.reduce(Money.zero) { $0 + $1.netPnL }
        print("paper: \(result.symbols.map(\.name).joined(separator: ", ")) (simulated execution)")
        print("  trades: \(result.trades.count)")
        print("  net PnL: \(net) USDT")
        print("  wallet: \(result.walletBalance) USDT")
        print("  alerts: \(result.alerts.filter { $0.severity == .critical }.count) critical, \(result.alerts.count) total")
        if let line = Self.decisionsLine(store: store, runID: result.runID) { print(line) }
        printRuntimeMetrics()
        print("store:  paper run \(result.runID) recorded in \(appConfig.storage.path)")
        for note in result.notes { print("note:   \(note)") }
    }
}

extension PaperCommand {
    /// `--local-venue FILE`: the venue in-process, the session on its stream, then the summary
    /// with the positions left open. Entries and exits are logged (stderr) as they happen.
    func runLocalVenue(_ file: String, config: AppConfig, store: any TradeStore) async throws {
        let pacing: LocalVenuePaper.Pacing = speed.map { .realTime(speed: $0, sleep: { try await Task.sleep(for: $0) }) } ?? .lockstep(window: 16)
        let clock = SystemClock()
        let alerts = try makeAlerts(config, store: store, clock: clock, label: "paper on the local venue: \(file)")
        let dashboard = try DashboardLaunch.make(config, store: store, label: "paper on the local venue: \(file)", clock: clock)
        let others = try DashboardLaunch.services(dashboard)
        let observer = DashboardLaunch.observer(alerts.observer, dashboard)
        // Phone commands and the dashboard's buttons act at the runtime's timer ticks (close requests, manual halts).
        let ticks: Duration? = alerts.poller == nil && dashboard == nil ? nil : .seconds(1)
        let (bars, logger) = (self.bars, Logger(label: "qt.paper"))
        let outcome = try await alerts.runSession(label: "paper on the local venue: \(file)",
                                                  stopDetail: { ($0 as? LocalVenuePaper.Outcome).map { PaperVenueSession.stopDetail($0.run) } ?? "stopped" },
                                                  others: others, logger: logger) { stop in
            try await LocalVenuePaper.run(config: config, dataFile: file, maxBars: bars, pacing: pacing, store: store, alerting: alerts.center,
                                          logger: logger, observer: observer, timerInterval: ticks, onListening: { port in
                PaperCommand.say("paper: local venue on ws://127.0.0.1:\(port) replaying \(file)\(bars.map { " (first \($0) bars)" } ?? ""), "
                                 + "simulated execution; alerts: \(alerts.channels.isEmpty ? "store and log only" : alerts.channels.joined(separator: ", "))")
            }, until: stop)
        }
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
        if let line = Self.decisionsLine(store: store, runID: result.runID) { print(line) }
        printRuntimeMetrics()
        print("store:  paper run \(result.runID) recorded in \(config.storage.path)")
        for note in result.notes { print("note:   \(note)") }
    }

    /// `--data FILE…` with `[dashboard] enabled`: the replay beside the console, in one group; the
    /// console stops when the replay ends (or at Ctrl-C). Nil when stopped by Ctrl-C.
    func runFilesWithDashboard(_ config: AppConfig, store: any TradeStore) async throws -> PaperRunResult? {
        let label = "paper on \(data.joined(separator: " "))"
        let dashboard = try DashboardLaunch.make(config, store: store, label: label, clock: SystemClock())
        let trading = TradingSessionService(center: nil, clock: SystemClock(), startDetail: label) { [data] _ in
            try await cancelWhenGracefulShutdown {
                try await PaperRunner.run(config: config, dataFiles: data, store: store, alerting: StandardErrorAlerting(), observer: dashboard?.observer)
            }
        }
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = try DashboardLaunch.services(dashboard).map { .init(service: $0) }
        services.append(.init(service: trading, successTerminationBehavior: .gracefullyShutdownGroup, failureTerminationBehavior: .gracefullyShutdownGroup))
        var quiet = Logger(label: "qt.paper")
        quiet.logLevel = .warning
        try await ServiceGroup(configuration: ServiceGroupConfiguration(services: services, gracefulShutdownSignals: [.sigint, .sigterm], logger: quiet)).run()
        do { return try trading.result(as: PaperRunResult.self) } catch is CancellationError {
            print("paper: stopped (Ctrl-C); the run stays open in the store")
            return nil
        }
    }

    /// The alert services of a paper session on a venue (`[alerts]`, secrets from `--key-file` or the environment).
    func makeAlerts(_ config: AppConfig, store: any TradeStore, clock: any TradingClock, label: String) throws -> AlertServices {
        let secrets: AlertSecrets
        do {
            secrets = try AlertSecrets.load(settings: config.alerts, environment: ProcessInfo.processInfo.environment, keyFile: keyFile,
                                            repositoryRoot: LiveCommand.repositoryRoot())
        } catch { throw ValidationError(error.message) }
        return AlertServices(settings: config.alerts, secrets: secrets, store: store, sessionLabel: label, console: StandardErrorAlerting(),
                             priceSource: config.exit.priceSource.priceEventSource,
                             environment: .live(clock: clock))
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
    static func say(_ line: String) {
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

/// The real-time runtime's counters (swift-metrics, `AppMetrics.registry`), one line.
func printRuntimeMetrics() {
    let rows = AppMetrics.registry.snapshot().filter { $0.label.hasPrefix("qt_runtime_") }
    guard !rows.isEmpty else { return }
    print("  metrics: " + rows.map { "\($0.label.dropFirst("qt_runtime_".count))=\($0.value)" }.joined(separator: " "))
    if let latency = AppMetrics.registry.snapshot().first(where: { $0.label == "qt_price_event_to_order_seconds" }) {
        print("  price event to order: \(latency.value)")
    }
}
