import ArgumentParser

/// `qt data`: work with the bundled historical market data.
struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Download, inspect and validate historical candle and funding files.",
        subcommands: [DataInspectCommand.self, DataDownloadCommand.self]
    )
}
