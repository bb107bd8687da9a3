import ArgumentParser
import Foundation
import TraderApp
import TradingEngine

/// `qt flow --db FILE [--run N] [--venue [--venue-config FILE] [--venue-key-file FILE] [--mainnet]]`: one run's
/// money flow, exact, with what the trades do not explain; with `--venue`, reconciled with the
/// exchange's income history (realised PnL, commissions, funding).
struct FlowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flow",
        abstract: "Money flow of a run: starting wallet, each trade's PnL, fees, funding, slippage, the recorded wallet and any unexplained difference; --venue reconciles with Binance's income history."
    )

    @OptionGroup var store: StoreOptions
    @Option(name: .customLong("run"), help: "The run (default: the latest run with a closed trade).")
    var runID: Int64?
    @Flag(name: .long, help: "Reconcile with the account's income history on the venue of --venue-config's [live] (keys as for qt live).")
    var venue = false
    @Option(name: .long, help: "With --venue: the configuration whose [live] section names the venue (default: Binance testnet).")
    var venueConfig: String?
    @Option(name: .long, help: "With --venue: file with the API keys (as for qt live), outside the repository, mode 600. Default: the environment.")
    var venueKeyFile: String?
    @Flag(name: .long, help: "The venue is Binance mainnet (the file must say [live] network = \"mainnet\" too).")
    var mainnet = false

    func run() async throws {
        guard venue else {
            for line in try MoneyFlowReport.open(storePath: try sqlitePath(), runID: runID).lines { print(line) }
            return
        }
        var live = LiveSettings.defaults
        if let config = venueConfig {
            do { live = try AppConfig.load(path: config).live } catch {
                throw ValidationError(error.errors.map(\.description).joined(separator: "; "))
            }
        }
        if (live.network == .mainnet) != mainnet {
            throw ValidationError(mainnet ? "--mainnet needs [live] network = \"mainnet\" in the configuration"
                                          : "the configuration names mainnet: add --mainnet to read the mainnet account")
        }
        let credentials: LiveCredentials
        do {
            credentials = try LiveCredentials.load(environment: ProcessInfo.processInfo.environment, keyFile: venueKeyFile,
                                                   repositoryRoot: LiveCommand.repositoryRoot(), network: live.network)
        } catch { throw ValidationError(error.message) }
        let report = try await MoneyFlowReport.open(storePath: try sqlitePath(), runID: runID, live: live, credentials: credentials, clock: SystemClock(),
                                                    pause: { try? await Task.sleep(for: $0) })
        for line in report.lines { print(line) }
        if case .failed = report.income { throw ExitCode.failure }
    }

    /// The analytics read a SQLite store by path; a PostgreSQL store (`--config`) is refused with a clear line.
    func sqlitePath() throws -> String {
        guard let db = store.db else {
            throw ValidationError("qt flow reads a SQLite store: name it with --db FILE (a PostgreSQL store is not supported by qt flow yet)")
        }
        return db
    }
}
