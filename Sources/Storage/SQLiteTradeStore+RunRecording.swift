import Foundation
import GRDB
import TradingEngine
import TradingModel

/// A whole run in one transaction.
extension SQLiteTradeStore {
    /// Writes the run row, every record and the finish in one write transaction, each kind of
    /// row through one prepared statement reused for all its rows with its values bound in
    /// place. The run row is inserted unfinished and marked finished by the transaction's last
    /// statement; any failure rolls the whole transaction back, so a failed or interrupted
    /// recording leaves no run and no rows. Returns the run's id.
    ///
    /// The rows are those the one-record calls write for the same records in the same order
    /// (the values come from the same `RecordSQL` functions). One difference in the work, not the
    /// result: an order's row is written once, with its last event's state and its first event's
    /// time, where the one-record calls insert it and update it at every event.
    public func recordRun(_ recording: RunRecording) throws -> Int64 {
        try write { db in
            var run = recording.run
            run.finishedAt = nil
            run.summaryJSON = nil
            try db.execute(sql: RecordSQL.beginRun, arguments: RecordSQL.beginRun(run))
            let runID = db.lastInsertedRowID
            try Self.withRecordingCache(db) {
                let encoder = JSONEncoder()
                try Self.insertAll(recording.decisions, sql: RecordSQL.decision, db) {
                    try RecordSQL.decision($0, runID: runID, encoder: encoder, into: &$1)
                }
                try Self.write(recording.operations, orderRows: recording.orderRows, runID: runID, db)
                try Self.insertAll(recording.fills, sql: RecordSQL.fill, db) { RecordSQL.fill($0, runID: runID, into: &$1) }
                try Self.insertAll(recording.trades, sql: RecordSQL.trade, db) { RecordSQL.trade($0, runID: runID, into: &$1) }
                try Self.insertAll(recording.alerts, sql: RecordSQL.alert, db) { RecordSQL.alert($0, runID: runID, into: &$1) }
                try Self.insertAll(recording.equity, sql: RecordSQL.equity, db) { RecordSQL.equity($0, runID: runID, into: &$1) }
            }
            try db.execute(sql: RecordSQL.finishRun, arguments: [recording.finishedAt.milliseconds, recording.summaryJSON, runID])
            return runID
        }
    }

    /// The operations. Each order's row first (its final state, in the order of first
    /// appearance: the order events refer to it), then the order events in the recording's order,
    /// then the exit-state saves and deletes and the risk events in the recording's order. Each
    /// table receives its rows in the recording's order (the tables do not refer to each other),
    /// so the rows and their ids are those of writing the operations one by one.
    private static func write(_ operations: [RunRecording.Operation], orderRows: RunRecording.OrderRows, runID: Int64,
                              _ db: Database) throws {
        let (orders, events) = (orderRows.orders, orderRows.events)
        try insertAll(count: orders.count, sql: RecordSQL.orderUpsert, db) { index, row in
            guard case .order(let event) = operations[orders[index].last] else { return }
            RecordSQL.orderUpsert(event, firstSeen: orders[index].firstSeen, runID: runID, into: &row)
        }
        try insertAll(count: events.count, sql: RecordSQL.orderEvent, db) { index, row in
            guard case .order(let event) = operations[events[index]] else { return }
            RecordSQL.orderEvent(event, runID: runID, into: &row)
        }
        guard orderRows.hasOtherOperations else { return }
        var save: Statement?, delete: Statement?, risk: Statement?
        for operation in operations {
            switch operation {
            case .order:
                continue
            case .saveExitState(let state):
                if save == nil { save = try db.makeStatement(sql: RecordSQL.saveExitState) }
                try SQLiteBoundRow.execute(save!, in: db) { RecordSQL.saveExitState(state, runID: runID, into: &$0) }
            case .deleteExitState(let key):
                if delete == nil { delete = try db.makeStatement(sql: RecordSQL.deleteExitState) }
                try delete!.execute(arguments: [runID, key])
            case .riskEvent(let event):
                if risk == nil { risk = try db.makeStatement(sql: RecordSQL.riskEvent) }
                try SQLiteBoundRow.execute(risk!, in: db) { RecordSQL.riskEvent(event, runID: runID, into: &$0) }
            }
        }
    }

    /// Rows per multi-row `INSERT` (at most 16 columns × 64 rows = 1,024 parameters, far below
    /// SQLite's limit). One statement per 64 rows instead of one per row: SQLite's per-statement
    /// work (starting the program, the `AUTOINCREMENT` counter read and written back) is paid
    /// once per 64 rows.
    static let rowsPerStatement = 64

    /// Every record, in order, through multi-row statements of `rowsPerStatement` rows (prepared
    /// once) and one statement for the remainder.
    private static func insertAll<Record>(_ records: [Record], sql: String, _ db: Database,
                                          _ values: (Record, inout SQLiteBoundRow) throws -> Void) throws {
        try insertAll(count: records.count, sql: sql, db) { index, row in try values(records[index], &row) }
    }

    /// `count` rows in order, row `index`'s values from `values(index, &row)`.
    private static func insertAll(count: Int, sql: String, _ db: Database,
                                  _ values: (Int, inout SQLiteBoundRow) throws -> Void) throws {
        var full: Statement?
        var start = 0
        while start < count {
            let rows = min(rowsPerStatement, count - start)
            let statement: Statement
            if rows == rowsPerStatement, let full {
                statement = full
            } else {
                statement = try db.makeStatement(sql: RecordSQL.multiRow(sql, rows: rows))
                if rows == rowsPerStatement { full = statement }
            }
            try SQLiteBoundRow.execute(statement, in: db, rows: rows) { row, offset in try values(start + offset, &row) }
            start += rows
        }
    }

    /// A page cache large enough for a long run's transaction (64 MiB instead of SQLite's 2 MiB),
    /// so SQLite does not spill pages to the log before the commit; the connection's setting is
    /// restored afterwards.
    private static func withRecordingCache(_ db: Database, _ body: () throws -> Void) throws {
        let previous = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2000
        try db.execute(sql: "PRAGMA cache_size = -65536")
        defer { try? db.execute(sql: "PRAGMA cache_size = \(previous)") }
        try body()
    }
}
