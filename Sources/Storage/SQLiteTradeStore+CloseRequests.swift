import GRDB
import TradingEngine
import TradingModel

/// Manual close requests (`close_requests`, schema v2): written by `qt close`, resolved by the
/// running live runtime. Each call is one transaction.
extension SQLiteTradeStore {
    public func recordCloseRequest(_ request: CloseRequestRecord) throws -> Int64 {
        try write { db in
            try db.execute(sql: """
                INSERT INTO close_requests (symbol, requested_at_ms, state, detail, resolved_at_ms, resolved_by_run_id)
                VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [request.symbol?.name, request.requestedAt.milliseconds, request.state.rawValue, request.detail,
                                 request.resolvedAt?.milliseconds, request.resolvedByRunID])
            return db.lastInsertedRowID
        }
    }

    public func pendingCloseRequests() throws -> [CloseRequestRecord] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM close_requests WHERE state = 'pending' ORDER BY id").map(Self.closeRequest)
        }
    }

    public func closeRequest(id: Int64) throws -> CloseRequestRecord? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM close_requests WHERE id = ?", arguments: [id]).map(Self.closeRequest)
        }
    }

    public func resolveCloseRequest(id: Int64, state: CloseRequestRecord.State, detail: String, runID: Int64, time: Timestamp) throws {
        try write { db in
            try Self.requireRun(runID, db)
            try db.execute(sql: """
                UPDATE close_requests SET state = ?, detail = ?, resolved_at_ms = ?, resolved_by_run_id = ?
                WHERE id = ? AND state = 'pending'
                """, arguments: [state.rawValue, detail, time.milliseconds, runID, id])
            guard db.changesCount == 1 else { throw TradeStoreError.closeRequestNotPending(id) }
        }
    }

    private static func closeRequest(_ row: Row) throws -> CloseRequestRecord {
        let table = "close_requests"
        return CloseRequestRecord(id: try row.int64("id", table), symbol: try row.optionalSymbol("symbol", table),
                                  requestedAt: try row.timestamp("requested_at_ms", table), state: try row.enumValue("state", table),
                                  detail: try row.text("detail", table), resolvedAt: try row.optionalTimestamp("resolved_at_ms", table),
                                  resolvedByRunID: try row.optionalInt64("resolved_by_run_id", table))
    }
}
