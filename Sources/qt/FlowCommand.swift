import ArgumentParser
import Foundation
import TraderApp
import TradingEngine

/// `qt flow --db FILE [--run N] [--venue --config FILE [--key-file FILE] [--mainnet]]`: one run's
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
    @Flag(name: .long, help: "Reconcile with the account's income history on the venue of --config's [live] (keys as for qt live).")
    var venue = false
    @Option(name: .long, help: "The configuration whose [live] section names the venue (default: Binance testnet).")
    var config: String?
    @Option(name: .long, help: "File with the API keys (as for qt live), outside the repository, mode 600. Default: the environment.")
    var keyFile: String?
    @Flag(name: .long, help: "The venue is Binance mainnet (the file must say [live] network = \"mainnet\" too).")
    var mainnet = false

    func run() async throws {
        guard venue else {
            for line in try MoneyFlowReport.open(storePath: store.db, runID: runID).lines { print(line) }
            return
        }
        var live = LiveSettings.defaults
        if let config {
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
            credentials = try LiveCredentials.load(environment: ProcessInfo.processInfo.environment, keyFile: keyFile,
                                                   repositoryRoot: LiveCommand.repositoryRoot(), network: live.network)
        } catch { throw ValidationError(error.message) }
        let report = try await MoneyFlowReport.open(storePath: store.db, runID: runID, live: live, credentials: credentials, clock: SystemClock(),
                                                    pause: { try? await Task.sleep(for: $0) })
        for line in report.lines { print(line) }
        if case .failed = report.income { throw ExitCode.failure }
    }
}
