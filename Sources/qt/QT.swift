import ArgumentParser
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
}
