import ArgumentParser

/// Every `qt` subcommand, in help order. Each command lives in its own file.
enum QTSubcommands {
    static let all: [any ParsableCommand.Type] = [
        ConfigCommand.self,
        VenueCommand.self,
        DataCommand.self,
        BacktestCommand.self,
        SweepCommand.self,
        PaperCommand.self,
        LiveCommand.self,
        CloseCommand.self,
        TrainCommand.self,
        ModelCommand.self,
        BenchExitCommand.self,
        RiskCommand.self,
        StatusCommand.self,
        StatsCommand.self,
        DiagnoseCommand.self,
        FlowCommand.self,
        AlertsCommand.self,
        DashboardCommand.self,
        StoreCommand.self,
    ]
}
