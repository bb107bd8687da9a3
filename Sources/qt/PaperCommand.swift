import ArgumentParser
import Foundation
import TraderApp
import TradingEngine
import TradingModel

/// `qt paper --config FILE --data FILE...`: the live runtime (same kernel, exit owners, watchdog,
/// reconciliation) with simulated execution, on candle files replayed in time order. Offline.
struct PaperCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "paper",
        abstract: "Paper-trade: the live runtime with simulated execution on replayed candle files (offline)."
    )

    @Option(name: .long, help: "The TOML configuration ([execution], [strategy], [backtest], [fees], [account]).")
    var config: String

    @Option(name: .long, parsing: .upToNextOption, help: "Kline files (Binance CSV, plain or .gz) to replay as market data.")
    var data: [String] = []

    @Option(name: .long, help: "A Binance-compatible WebSocket base URL for live market data (not wired in this build).")
    var venue: String?

    func validate() throws {
        if data.isEmpty && venue == nil { throw ValidationError("give candle files with --data FILE... (or a market-data venue with --venue URL)") }
        if !data.isEmpty && venue != nil { throw ValidationError("give either --data or --venue, not both") }
    }

    func run() async throws {
        if venue != nil {
            printLiveError("paper trading on a WebSocket venue is not wired in this build (the WebSocket connector is missing); use --data FILE...")
            throw ExitCode.failure
        }
        let appConfig: AppConfig
        do { appConfig = try AppConfig.load(path: config) } catch {
            for line in error.errors { printLiveError(line.description) }
            throw ExitCode.failure
        }
        let result: PaperRunResult
        do {
            let store = try TradeStoreFactory.make(appConfig.storage)
            result = try await PaperRunner.run(config: appConfig, dataFiles: data, store: store, alerting: StandardErrorAlerting())
        } catch {
            printLiveError("\(error)")
            throw ExitCode.failure
        }
        let net = result.trades.reduce(Money.zero) { $0 + $1.netPnL }
        print("paper: \(result.symbols.map(\.name).joined(separator: ", ")) (\(data.count) file\(data.count == 1 ? "" : "s"), simulated execution)")
        print("  trades: \(result.trades.count)")
        print("  net PnL: \(net) USDT")
        print("  wallet: \(result.walletBalance) USDT")
        print("  alerts: \(result.alerts.filter { $0.severity == .critical }.count) critical, \(result.alerts.count) total")
        print("store:  paper run \(result.runID) recorded in \(appConfig.storage.path)")
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
