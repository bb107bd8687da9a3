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

    @Option(name: .long, help: "A Binance(-compatible) WebSocket base URL for live market data, e.g. wss://fstream.binance.com or ws://127.0.0.1:8080.")
    var venue: String?

    @Option(name: .long, help: "Symbols to paper-trade on --venue, comma-separated (e.g. LINKUSDT,NEARUSDT).")
    var symbols: String?

    func validate() throws {
        if data.isEmpty && venue == nil { throw ValidationError("give candle files with --data FILE... (or a market-data venue with --venue URL)") }
        if !data.isEmpty && venue != nil { throw ValidationError("give either --data or --venue, not both") }
        if venue != nil && (symbols ?? "").isEmpty { throw ValidationError("--venue needs --symbols LINKUSDT,...") }
    }

    func run() async throws {
        let appConfig: AppConfig
        do { appConfig = try AppConfig.load(path: config) } catch {
            for line in error.errors { printLiveError(line.description) }
            throw ExitCode.failure
        }
        let result: PaperRunResult
        do {
            let store = try TradeStoreFactory.make(appConfig.storage)
            if let venue {
                let names = (symbols ?? "").split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
                var parsed: [Symbol] = []
                for name in names {
                    guard let symbol = Symbol(name) else { throw ValidationError("--symbols: '\(name)' is not a symbol") }
                    parsed.append(symbol)
                }
                let clock = SystemClock()
                print("paper: \(names.joined(separator: ", ")) on \(venue), simulated execution; Ctrl-C to stop")
                result = try await PaperRunner.run(config: appConfig, symbols: parsed,
                                                   feed: PaperRunner.venueFeed(websocketURL: venue, clock: clock),
                                                   barInterval: .seconds(60), clock: clock, replayClock: nil,
                                                   timerInterval: .seconds(1), store: store,
                                                   alerting: StandardErrorAlerting())
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
        print("store:  paper run \(result.runID) recorded in \(appConfig.storage.path)")
        for note in result.notes { print("note:   \(note)") }
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
