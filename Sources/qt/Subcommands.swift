import ArgumentParser

/// Every `qt` subcommand, in help order. Each command lives in its own file.
enum QTSubcommands {
    static let all: [any ParsableCommand.Type] = [
        DataCommand.self,
        ConfigCommand.self,
        BacktestCommand.self,
    ]
}
