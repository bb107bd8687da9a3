import Foundation
import GRDB
import TradingEngine
import TradingModel

/// A whole run in one transaction.
extension SQLiteTradeStore {
    /// Writes the run row, every record in `recording`'s order and the finish in one write
    /// transaction, each kind of row through one prepared statement reused for all its rows.
    /// The run row is inserted unfinished and marked finished by the transaction's last
    /// statement; any failure rolls the whole transaction back, so a failed or interrupted
    /// recording leaves no run and no rows. Returns the run's id.
    ///
    /// The rows are those the one-record calls write for the same records in the same order
    /// (same SQL, same arguments: `RecordSQL`).
    public func recordRun(_ recording: RunRecording) throws -> Int64 {
        try write { db in
            var run = recording.run
            run.finishedAt = nil
            run.summaryJSON = nil
            try db.execute(sql: RecordSQL.beginRun, arguments: RecordSQL.beginRun(run))
            let runID = db.lastInsertedRowID
            if !recording.decisions.isEmpty {
                let statement = try db.makeStatement(sql: RecordSQL.decision)
                let encoder = JSONEncoder()
                for decision in recording.decisions {
                    try statement.execute(arguments: try RecordSQL.decision(decision, runID: runID, encoder: encoder))
                }
            }
            try Self.write(recording.operations, runID: runID, db)
            try Self.insertAll(recording.fills, sql: RecordSQL.fill, db) { RecordSQL.fill($0, runID: runID) }
            try Self.insertAll(recording.trades, sql: RecordSQL.trade, db) { RecordSQL.trade($0, runID: runID) }
            try Self.insertAll(recording.alerts, sql: RecordSQL.alert, db) { RecordSQL.alert($0, runID: runID) }
            try Self.insertAll(recording.equity, sql: RecordSQL.equity, db) { RecordSQL.equity($0, runID: runID) }
            try db.execute(sql: RecordSQL.finishRun, arguments: [recording.finishedAt.milliseconds, recording.summaryJSON, runID])
            return runID
        }
    }

    /// The operations in their order; each statement is prepared on first use and reused.
    private static func write(_ operations: [RunRecording.Operation], runID: Int64, _ db: Database) throws {
        var statements: [String: Statement] = [:]
        func statement(_ sql: String) throws -> Statement {
            if let prepared = statements[sql] { return prepared }
            let prepared = try db.makeStatement(sql: sql)
            statements[sql] = prepared
            return prepared
        }
        for operation in operations {
            switch operation {
            case .order(let event):
                try statement(RecordSQL.orderUpsert).execute(arguments: RecordSQL.orderUpsert(event, runID: runID))
                try statement(RecordSQL.orderEvent).execute(arguments: RecordSQL.orderEvent(event, runID: runID))
            case .saveExitState(let state):
                try statement(RecordSQL.saveExitState).execute(arguments: RecordSQL.saveExitState(state, runID: runID))
            case .deleteExitState(let key):
                try statement(RecordSQL.deleteExitState).execute(arguments: [runID, key])
            case .riskEvent(let event):
                try statement(RecordSQL.riskEvent).execute(arguments: RecordSQL.riskEvent(event, runID: runID))
            }
        }
    }

    /// Every record through one prepared statement.
    private static func insertAll<Record>(_ records: [Record], sql: String, _ db: Database,
                                          _ arguments: (Record) -> StatementArguments) throws {
        guard !records.isEmpty else { return }
        let statement = try db.makeStatement(sql: sql)
        for record in records { try statement.execute(arguments: arguments(record)) }
    }
}
