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
    @OptionGroup var venue: VenueAccessOptions

    func run() async throws {
        guard venue.venue else {
            for line in try MoneyFlowReport.open(storePath: try sqlitePath(), runID: runID).lines { print(line) }
            return
        }
        let (live, credentials) = try venue.load()
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
