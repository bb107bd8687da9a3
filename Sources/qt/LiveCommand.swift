import Alerts
import ArgumentParser
import Foundation
import Logging
import TraderApp
import TradingEngine
import TradingModel
import TradingConfig

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
        var symbolList: [Symbol] = []
        for name in symbols.split(separator: ",").map({ String($0).trimmingCharacters(in: .whitespaces) }) {
            guard let symbol = Symbol(name) else {
                printLiveError("--symbols: '\(name)' is not a symbol")
                throw ExitCode.failure
            }
            symbolList.append(symbol)
        }
        let environment = TraderEnvironment(variables: ProcessInfo.processInfo.environment, keyFile: keyFile,
                                            repositoryRoot: Self.repositoryRoot(), console: StandardErrorAlerting(),
                                            logger: Logger(label: "qt.live"), say: DashboardLaunch.say)
        let trader: Trader
        do {
            trader = try TraderBuilder(appConfig, environment: environment)
                .build(.live(LiveRequest(symbols: symbolList, confirmLive: confirmLive, mainnet: mainnet)))
        } catch {
            printStartupError(error)
            throw ExitCode.failure
        }
        let channels = trader.alerts.map { $0.channels.isEmpty ? "store and log only" : $0.channels.joined(separator: ", ") } ?? "none"
        FileHandle.standardError.write(Data("qt live: \(trader.venueAccess.map { "\($0)" } ?? trader.label); alerts: \(channels); Ctrl-C stops (open positions stay protected by their exchange-side backstops)\n".utf8))
        let result: LiveRunResult
        do {
            guard case .live(let value) = try await trader.run() else { throw StartupError(.services, "the live session did not run") }
            result = value
        } catch let error as StartupError {
            printStartupError(error)
            throw ExitCode.failure
        } catch {
            printLiveError("the live session's services failed: \(error)")
            throw ExitCode.failure
        }
        printRuntimeMetrics()
        for note in result.notes { print("note: \(note)") }
        print("live run \(result.runID): \(result.trades.count) trades, \(result.openPositions.count) open positions; recorded in \(appConfig.storage.path)")
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
