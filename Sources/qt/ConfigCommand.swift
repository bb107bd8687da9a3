import ArgumentParser

/// `qt config …`: configuration tools.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Configuration tools.",
        subcommands: [ConfigCheckCommand.self]
    )
}
