import ArgumentParser
import TraderApp

/// `qt flow --db FILE [--run N]`: one run's money flow, exact, with what the trades do not explain.
struct FlowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flow",
        abstract: "Money flow of a run: starting wallet, each trade's PnL, fees, funding, stop slippage, the recorded wallet and any unexplained difference."
    )

    @OptionGroup var store: StoreOptions
    @Option(name: .customLong("run"), help: "The run (default: the latest run with a closed trade).")
    var runID: Int64?

    func run() throws {
        for line in try MoneyFlowReport.open(storePath: try sqlitePath(), runID: runID).lines { print(line) }
    }

    /// The analytics read a SQLite store by path; a PostgreSQL store (`--config`) is refused with a clear line.
    func sqlitePath() throws -> String {
        guard let db = store.db else {
            throw ValidationError("qt flow reads a SQLite store: name it with --db FILE (a PostgreSQL store is not supported by qt flow yet)")
        }
        return db
    }
}
