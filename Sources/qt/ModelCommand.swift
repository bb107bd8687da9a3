import ArgumentParser

/// `qt model`: inspect trained models.
struct ModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Inspect trained signal models: out-of-sample report, inference benchmark.",
        subcommands: [ModelReportCommand.self, ModelBenchCommand.self]
    )
}
