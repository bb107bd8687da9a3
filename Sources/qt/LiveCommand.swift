import Alerts
import ArgumentParser
import Dashboard
import Foundation
import Logging
import ServiceLifecycle
import TraderApp
import TradingEngine
import TradingModel

/// `qt live --config FILE --confirm-live [--mainnet] [--key-file FILE]`: trades on Binance USDⓈ-M
/// (testnet unless the file says mainnet AND `--mainnet` is given). One session per store and
/// per account (`LiveLock`). Every preflight failure is one line and a non-zero exit.
struct LiveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "live",
        abstract: "Trade live on Binance USD-M futures (testnet by default; needs --confirm-live and API keys; mainnet also --mainnet)."
    )

    @Option(name: .long, help: "The TOML configuration ([execution] policy = \"exit-engine\", [strategy], [live]).")
    var config: String

    @Flag(name: .long, help: "Confirm that real orders may be sent.")
    var confirmLive = false

    @Flag(name: .long, help: "Trade on Binance mainnet (real money): the file must also say [live] network = \"mainnet\"; keys from QT_BINANCE_MAINNET_API_KEY / QT_BINANCE_MAINNET_API_SECRET.")
    var mainnet = false

    @Option(name: .long, help: "File with QT_BINANCE_API_KEY=… and QT_BINANCE_API_SECRET=… (mainnet: QT_BINANCE_MAINNET_API_KEY/SECRET; and QT_TELEGRAM_BOT_TOKEN=…, QT_WEBHOOK_SECRET=… for alerts), outside the repository, mode 600. Default: the environment.")
    var keyFile: String?

    @Option(name: .long, help: "Comma-separated symbols to trade, e.g. ATOMUSDT,LINKUSDT.")
    var symbols: String

    func run() async throws {
        let appConfig: AppConfig
        do { appConfig = try AppConfig.load(path: config) } catch {
            for line in error.errors { printLiveError(line.description) }
            throw ExitCode.failure
        }
        AppLogging.apply(appConfig.logging)
        do {
            var symbolList: [Symbol] = []
            for name in symbols.split(separator: ",").map({ String($0).trimmingCharacters(in: .whitespaces) }) {
                guard let symbol = Symbol(name) else { throw LiveRuntimeError("--symbols: '\(name)' is not a symbol") }
                symbolList.append(symbol)
            }
            let environment = ProcessInfo.processInfo.environment
            let plan = try LivePreflight.check(config: appConfig, confirmLive: confirmLive, mainnet: mainnet, environment: environment,
                                               keyFile: keyFile, repositoryRoot: Self.repositoryRoot(), symbols: symbolList,
                                               now: SystemClock().now)
            // One session per store and per account: held until this process ends.
            let lock = try LiveLock.acquire(storePath: appConfig.storage.path, restHost: appConfig.live.restHost, apiKey: plan.credentials.apiKey,
                                            lockDirectory: LiveLock.defaultDirectory(environment: environment), now: SystemClock().now)
            defer { lock.release() }
            let store: any TradeStore
            do {
                let storeSecrets = try StoreSecrets.load(environment: ProcessInfo.processInfo.environment, keyFile: keyFile,
                                                         repositoryRoot: Self.repositoryRoot())
                store = try TradeStoreFactory.make(appConfig.storage, secrets: storeSecrets)
            } catch {
                printLiveError("cannot open the \(appConfig.storage.backend.rawValue) store: \(error)")
                throw ExitCode.failure
            }
            let secrets: AlertSecrets
            do {
                secrets = try AlertSecrets.load(settings: appConfig.alerts, environment: ProcessInfo.processInfo.environment, keyFile: keyFile,
                                                repositoryRoot: Self.repositoryRoot())
            } catch { throw LiveRuntimeError(error.message) }
            let clock = SystemClock()
            let label = "live on \(plan.network.rawValue): \(symbolList.map(\.name).joined(separator: ","))"
            let alerts = AlertServices(settings: appConfig.alerts, secrets: secrets, store: store, sessionLabel: label, console: StandardErrorAlerting(),
                                       priceSource: appConfig.exit.priceSource.priceEventSource,
                                       environment: .live(clock: clock))
            FileHandle.standardError.write(Data("qt live: \(plan); alerts: \(alerts.channels.isEmpty ? "store and log only" : alerts.channels.joined(separator: ", ")); Ctrl-C stops (open positions stay protected by their exchange-side backstops)\n".utf8))
            let dashboard: DashboardServices?
            let others: [any Service]
            do {
                dashboard = try DashboardLaunch.make(appConfig, store: store, label: label, clock: clock)
                others = try DashboardLaunch.services(dashboard)
            } catch { throw LiveRuntimeError(error.message) }
            let observer = DashboardLaunch.observer(alerts.observer, dashboard)
            let trading = TradingSessionService(center: alerts.center, clock: clock, startDetail: label, stopDetail: { value in
                guard let result = value as? LiveTrading.Result else { return "stopped" }
                return "\(result.trades.count) trade(s); \(result.openPositions.count) position(s) left open, protected by their exchange-side backstops"
            }) { [appConfig, plan, symbolList, store, lock] stop in
                try await LiveTrading.run(config: appConfig, plan: plan, symbols: symbolList, store: store, alerting: alerts.center, clock: clock,
                                          observer: observer, runTag: lock.runTag, until: stop)
            }
            do { try await alerts.serviceGroup(trading: trading, others: others, logger: Logger(label: "qt.live")).run() } catch {
                throw LiveRuntimeError("the live session's services failed: \(error)")
            }
            let result: LiveTrading.Result
            do {
                guard let value = try trading.result(as: LiveTrading.Result.self) else { throw LiveRuntimeError("the live session did not run") }
                result = value
            } catch let error as LiveRuntimeError { throw error } catch { throw LiveRuntimeError("\(error)") }
            printRuntimeMetrics()
            for note in result.notes { print("note: \(note)") }
            print("live run \(result.runID): \(result.trades.count) trades, \(result.openPositions.count) open positions; recorded in \(appConfig.storage.path)")
        } catch let error as LiveRuntimeError {
            printLiveError(error.message)
            throw ExitCode.failure
        }
    }

    /// The enclosing git work tree of the current directory (where a key file must not be).
    static func repositoryRoot() -> String? {
        var directory = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).standardizedFileURL
        while directory.path != "/" {
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent(".git").path) { return directory.path }
            directory.deleteLastPathComponent()
        }
        return nil
    }
}
