import Foundation
import PostgresNIO
import TradingEngine
import TradingModel

/// A whole run in one transaction.
extension PostgresTradeStore {
    /// Writes the run row (unfinished), every record and the finish in one transaction, each
    /// table's rows through multi-row `INSERT`s of up to 1,000 rows
    /// (one round trip per batch instead of one per row): any failure rolls it all back, so a
    /// failed or interrupted recording leaves no run and no rows. Returns the run's id.
    ///
    /// The rows are those the one-record calls write for the same records (the values come from
    /// the same builders, `PostgresTradeStore+Records`), with the same ids in each table. Two
    /// differences in the work, not the result: an order's row is written once, with its last
    /// event's state and its first event's time, where the one-record calls insert it and
    /// update it at every event; and the exit states are written as the saves and deletes leave
    /// them (a position's last save, unless a delete followed it), where the one-record calls
    /// upsert and delete at every operation.
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
            let encoder = JSONEncoder()
            try insertAll(recording.decisions, Self.decisions) { try decisionValues($0, runID: runID, encoder: encoder, into: &$1) }
            try writeOperations(recording, runID: runID)
            try insertAll(recording.fills, Self.fills) { fillValues($0, runID: runID, into: &$1) }
            try insertAll(recording.trades, Self.trades) { tradeValues($0, runID: runID, into: &$1) }
            try insertAll(recording.alerts, Self.alerts) { alertValues($0, runID: runID, into: &$1) }
            try insertAll(recording.equity, Self.equitySnapshots) { equityValues($0, runID: runID, into: &$1) }
            let finished = try execute("""
                UPDATE runs SET finished_at_ms = \(recording.finishedAt.milliseconds), summary_json = \(recording.summaryJSON)
                WHERE id = \(runID) AND bot_id = \(settings.bot)
                """)
            guard finished.metadata.rows == 1 else { throw TradeStoreError.unknownRun(runID) }
            return runID
        }
    }

    /// The operations: each order's row (its final state, first seen at its first event), the
    /// order events and the risk events in the recording's order, and the exit states the saves
    /// and deletes leave behind.
    private func writeOperations(_ recording: RunRecording, runID: Int64) throws {
        let operations = recording.operations
        let orderRows = recording.orderRows
        var risks: [RiskEventRecord] = []
        var exitStates: [String: ExitStateRecord] = [:]
        var exitStateOrder: [String] = []
        for operation in operations {
            switch operation {
            case .order:
                continue
            case .saveExitState(let state):
                if exitStates.updateValue(state, forKey: state.positionKey) == nil { exitStateOrder.append(state.positionKey) }
            case .deleteExitState(let key):
                exitStates[key] = nil
            case .riskEvent(let event):
                risks.append(event)
            }
        }
        try insertAll(orderRows.orders, Self.orders) { order, binds in
            guard case .order(let last) = operations[order.last] else { return }
            orderValues(last, firstSeen: order.firstSeen, runID: runID, into: &binds)
        }
        try insertAll(orderRows.events, Self.orderEvents) { index, binds in
            guard case .order(let event) = operations[index] else { return }
            orderEventValues(event, runID: runID, into: &binds)
        }
        // A key saved, deleted and saved again appears once in `exitStateOrder`: kept once.
        var written = Set<String>()
        let states = exitStateOrder.compactMap { key in written.insert(key).inserted ? exitStates[key] : nil }
        try insertAll(states, Self.exitStates) { exitStateValues($0, runID: runID, into: &$1) }
        try insertAll(risks, Self.riskEvents) { riskEventValues($0, runID: runID, into: &$1) }
    }

    /// Every record, in order, in statements of `settings.recordingRowsPerStatement` rows (fewer
    /// for wide tables, within PostgreSQL's parameter limit) and one for the remainder.
    private func insertAll<Record>(_ records: [Record], _ insert: PostgresInsert,
                                   _ values: (Record, inout PostgresBindings) throws -> Void) throws {
        let perStatement = insert.rowsPerStatement(limit: settings.recordingRowsPerStatement)
        var start = 0
        while start < records.count {
            let end = min(start + perStatement, records.count)
            var binds = PostgresBindings(capacity: (end - start) * insert.columns.count)
            for index in start..<end { try values(records[index], &binds) }
            _ = try execute(try insert.query(rows: end - start, binds: binds))
            start = end
        }
    }
}
