import PostgresNIO
import TradingEngine
import TradingModel

/// A whole run in one transaction.
extension PostgresTradeStore {
    /// Writes the run row (unfinished), every record in `recording`'s order, then the finish, in
    /// one transaction: any failure rolls it all back, so a failed or interrupted recording
    /// leaves no run and no rows. The statements are those of the one-record calls, so the rows
    /// are the same. Returns the run's id.
    public func recordRun(_ recording: RunRecording) throws -> Int64 {
        try transaction {
            let run = recording.run
            let inserted = try execute("""
                INSERT INTO runs (bot_id, kind, started_at_ms, finished_at_ms, config_hash, detail, summary_json)
                VALUES (\(settings.bot), \(run.kind.rawValue), \(run.startedAt.milliseconds), \(Int64?.none),
                        \(run.configHash), \(run.detail), \(String?.none))
                RETURNING id
                """)
            guard let row = inserted.first else { throw TradeStoreError.database("INSERT INTO runs returned no id") }
            let runID = try PostgresRecordRow(row, "runs").int64("id")
            for decision in recording.decisions { try execute(try decisionQuery(decision, runID: runID)) }
            for operation in recording.operations {
                switch operation {
                case .order(let event):
                    for query in orderQueries(event, runID: runID) { try execute(query) }
                case .saveExitState(let state):
                    try execute(exitStateQuery(state, runID: runID))
                case .deleteExitState(let key):
                    try execute("DELETE FROM exit_states WHERE run_id = \(runID) AND position_key = \(key) AND bot_id = \(settings.bot)")
                case .riskEvent(let event):
                    try execute(riskEventQuery(event, runID: runID))
                }
            }
            for fill in recording.fills { try execute(fillQuery(fill, runID: runID)) }
            for trade in recording.trades { try execute(tradeQuery(trade, runID: runID)) }
            for alert in recording.alerts { try execute(alertQuery(alert, runID: runID)) }
            for snapshot in recording.equity { try execute(equityQuery(snapshot, runID: runID)) }
            let finished = try execute("""
                UPDATE runs SET finished_at_ms = \(recording.finishedAt.milliseconds), summary_json = \(recording.summaryJSON)
                WHERE id = \(runID) AND bot_id = \(settings.bot)
                """)
            guard finished.metadata.rows == 1 else { throw TradeStoreError.unknownRun(runID) }
            return runID
        }
    }
}
