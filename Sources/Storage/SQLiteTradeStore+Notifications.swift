import GRDB
import TradingEngine
import TradingModel

/// The alert history (`notifications`) and phone commands (`commands`), schema v3. Each call is
/// one transaction.
extension SQLiteTradeStore {
    public func recordNotification(_ notification: NotificationRecord) throws -> Int64 {
        try write { db in
            if let runID = notification.runID { try Self.requireRun(runID, db) }
            try db.execute(sql: """
                INSERT INTO notifications (run_id, channel, category, rule, severity, symbol, text, created_at_ms, state, attempts, detail,
                                           finished_at_ms)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [notification.runID, notification.channel, notification.category.rawValue, notification.rule,
                                 notification.severity.rawValue, notification.symbol?.name, notification.text,
                                 notification.createdAt.milliseconds, notification.state.rawValue, notification.attempts,
                                 notification.detail, notification.finishedAt?.milliseconds])
            return db.lastInsertedRowID
        }
    }

    public func updateNotification(id: Int64, state: NotificationRecord.DeliveryState, attempts: Int, detail: String, time: Timestamp) throws {
        try write { db in
            let finished: Int64? = state == .pending ? nil : time.milliseconds
            try db.execute(sql: "UPDATE notifications SET state = ?, attempts = ?, detail = ?, finished_at_ms = ? WHERE id = ?",
                           arguments: [state.rawValue, attempts, detail, finished, id])
            guard db.changesCount == 1 else { throw TradeStoreError.notFound(table: "notifications", id: id) }
        }
    }

    public func notifications(runID: Int64?, limit: Int) throws -> [NotificationRecord] {
        let filter = runID == nil ? "" : "WHERE run_id = ?"
        let arguments: StatementArguments = runID.map { [$0, max(0, limit)] } ?? [max(0, limit)]
        return try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM (SELECT * FROM notifications \(filter) ORDER BY id DESC LIMIT ?) ORDER BY id",
                             arguments: arguments).map(Self.notification)
        }
    }

    public func recordCommand(_ command: CommandRecord) throws -> Int64 {
        try write { db in
            if let runID = command.runID { try Self.requireRun(runID, db) }
            try db.execute(sql: """
                INSERT INTO commands (run_id, channel, update_id, chat_id, sender, text, authorized, outcome, time_ms)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [command.runID, command.channel, command.updateID, command.chatID, command.sender, command.text,
                                 command.authorized ? 1 : 0, command.outcome, command.time.milliseconds])
            return db.lastInsertedRowID
        }
    }

    public func commands(limit: Int) throws -> [CommandRecord] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM (SELECT * FROM commands ORDER BY id DESC LIMIT ?) ORDER BY id",
                             arguments: [max(0, limit)]).map(Self.command)
        }
    }

    private static func notification(_ row: Row) throws -> NotificationRecord {
        let table = "notifications"
        let attempts = try row.int64("attempts", table)
        return NotificationRecord(
            id: try row.int64("id", table), runID: try row.optionalInt64("run_id", table), channel: try row.text("channel", table),
            category: try row.enumValue("category", table), rule: try row.text("rule", table), severity: try row.enumValue("severity", table),
            symbol: try row.optionalSymbol("symbol", table), text: try row.text("text", table),
            createdAt: try row.timestamp("created_at_ms", table), state: try row.enumValue("state", table),
            attempts: Int(clamping: attempts), detail: try row.text("detail", table),
            finishedAt: try row.optionalTimestamp("finished_at_ms", table))
    }

    private static func command(_ row: Row) throws -> CommandRecord {
        let table = "commands"
        return CommandRecord(
            id: try row.int64("id", table), runID: try row.optionalInt64("run_id", table), channel: try row.text("channel", table),
            updateID: try row.int64("update_id", table), chatID: try row.int64("chat_id", table), sender: try row.text("sender", table),
            text: try row.text("text", table), authorized: try row.bool("authorized", table), outcome: try row.text("outcome", table),
            time: try row.timestamp("time_ms", table))
    }
}
