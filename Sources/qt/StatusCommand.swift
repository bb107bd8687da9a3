import ArgumentParser
import Foundation
import TraderApp

/// `qt status --db FILE`: last runs, open positions with their exit state (stop, targets,
/// backstop), the risk state and recent alerts, from the store.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the last runs, open positions with their exits, the risk state and recent alerts."
    )

    @OptionGroup var store: StoreOptions

    @Option(name: .long, help: "How many runs to list.")
    var runs: Int = 5

    @Option(name: .long, help: "How many alerts to list.")
    var alerts: Int = 10

    func run() throws {
        let status = try store.using(try store.openForReading()) {
            try StoreStatus(store: $0, runLimit: max(1, runs), alertLimit: max(1, alerts))
        }
        for line in status.lines { print(line) }
        if let problem = status.risk.problem {
            FileHandle.standardError.write(Data("error: \(problem)\n".utf8))
            throw ExitCode.failure
        }
    }
}
