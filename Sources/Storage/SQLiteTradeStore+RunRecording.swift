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
                try Self.write(recording.operations, runID: runID, db)
                try Self.insertAll(recording.fills, sql: RecordSQL.fill, db) { RecordSQL.fill($0, runID: runID, into: &$1) }
                try Self.insertAll(recording.trades, sql: RecordSQL.trade, db) { RecordSQL.trade($0, runID: runID, into: &$1) }
                try Self.insertAll(recording.alerts, sql: RecordSQL.alert, db) { RecordSQL.alert($0, runID: runID, into: &$1) }
                try Self.insertAll(recording.equity, sql: RecordSQL.equity, db) { RecordSQL.equity($0, runID: runID, into: &$1) }
            }
            try db.execute(sql: RecordSQL.finishRun, arguments: [recording.finishedAt.milliseconds, recording.summaryJSON, runID])
            return runID
        }
    }

    /// The operations in their order. Each order's row first (its final state, in the order of
    /// first appearance: the order events refer to it), then the order events, exit states and
    /// risk events in the recording's order.
    private static func write(_ operations: [RunRecording.Operation], runID: Int64, _ db: Database) throws {
        var orderIndex: [ClientOrderID: Int] = [:]
        var orders: [(firstSeen: Timestamp, last: OrderEventRecord)] = []
        for case .order(let event) in operations {
            if let index = orderIndex[event.clientOrderID] {
                orders[index].last = event
            } else {
                orderIndex[event.clientOrderID] = orders.count
                orders.append((event.time, event))
            }
        }
        if !orders.isEmpty {
            let upsert = try db.makeStatement(sql: RecordSQL.orderUpsert)
            for order in orders {
                try SQLiteBoundRow.execute(upsert, in: db) {
                    RecordSQL.orderUpsert(order.last, firstSeen: order.firstSeen, runID: runID, into: &$0)
                }
            }
        }
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
                try SQLiteBoundRow.execute(try statement(RecordSQL.orderEvent), in: db) {
                    RecordSQL.orderEvent(event, runID: runID, into: &$0)
                }
            case .saveExitState(let state):
                try SQLiteBoundRow.execute(try statement(RecordSQL.saveExitState), in: db) {
                    RecordSQL.saveExitState(state, runID: runID, into: &$0)
                }
            case .deleteExitState(let key):
                try statement(RecordSQL.deleteExitState).execute(arguments: [runID, key])
            case .riskEvent(let event):
                try SQLiteBoundRow.execute(try statement(RecordSQL.riskEvent), in: db) {
                    RecordSQL.riskEvent(event, runID: runID, into: &$0)
                }
            }
        }
    }

    /// Every record through one prepared statement.
    private static func insertAll<Record>(_ records: [Record], sql: String, _ db: Database,
                                          _ values: (Record, inout SQLiteBoundRow) throws -> Void) throws {
        guard !records.isEmpty else { return }
        let statement = try db.makeStatement(sql: sql)
        for record in records { try SQLiteBoundRow.execute(statement, in: db) { try values(record, &$0) } }
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
