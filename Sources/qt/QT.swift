import ArgumentParser
import Foundation
import TraderApp

/// `qt`: the QuantumTrader command-line tool.
@main
struct QT: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "qt",
        abstract: "QuantumTrader: Binance USDT-M futures trading with enforced exits.",
        version: QuantumTraderVersion.current,
        subcommands: QTSubcommands.all
    )

    /// Bootstraps logging (once, before any command runs), then parses and runs the command.
    /// Commands that read a configuration apply its `[logging] level` (`AppLogging.apply`).
    static func main() async {
        do { try AppLogging.bootstrap(environment: ProcessInfo.processInfo.environment) } catch {
            FileHandle.standardError.write(Data("qt: \(error)\n".utf8))
            Foundation.exit(64)
        }
        AppMetrics.bootstrap()
        await main(nil)
    }
}
