import PostgresNIO
import TradingEngine
import TradingModel

/// Close requests, notifications and phone commands: the channels between processes, each
/// limited to this store's bot (a `qt close` for one bot never closes another bot's positions).
extension PostgresTradeStore {
    private var bot: String { settings.bot }

    public func recordCloseRequest(_ request: CloseRequestRecord) throws -> Int64 {
        try transaction {
            if let runID = request.resolvedByRunID { try requireRun(runID) }
            let rows = try execute("""
                INSERT INTO close_requests (bot_id, symbol, requested_at_ms, state, detail, resolved_at_ms, resolved_by_run_id)
                VALUES (\(bot), \(request.symbol?.name), \(request.requestedAt.milliseconds), \(request.state.rawValue), \(request.detail),
                        \(request.resolvedAt?.milliseconds), \(request.resolvedByRunID))
                RETURNING id
                """)
            guard let row = rows.first else { throw TradeStoreError.database("INSERT INTO close_requests returned no id") }
            return try PostgresRecordRow(row, "close_requests").int64("id")
        }
    }

    public func pendingCloseRequests() throws -> [CloseRequestRecord] {
        try fetch("SELECT * FROM close_requests WHERE state = 'pending' AND bot_id = \(bot) ORDER BY id", "close_requests", Self.closeRequest)
    }

    public func closeRequest(id: Int64) throws -> CloseRequestRecord? {
        try fetch("SELECT * FROM close_requests WHERE id = \(id) AND bot_id = \(bot)", "close_requests", Self.closeRequest).first
    }

    public func resolveCloseRequest(id: Int64, state: CloseRequestRecord.State, detail: String, runID: Int64, time: Timestamp) throws {
        try transaction {
            try requireRun(runID)
            let result = try execute("""
                UPDATE close_requests SET state = \(state.rawValue), detail = \(detail), resolved_at_ms = \(time.milliseconds),
                    resolved_by_run_id = \(runID)
                WHERE id = \(id) AND state = 'pending' AND bot_id = \(bot)
                """)
            guard result.metadata.rows == 1 else { throw TradeStoreError.closeRequestNotPending(id) }
        }
    }

    private static func closeRequest(_ row: PostgresRecordRow) throws -> CloseRequestRecord {
        CloseRequestRecord(id: try row.int64("id"), symbol: try row.optionalSymbol("symbol"), requestedAt: try row.timestamp("requested_at_ms"),
                           state: try row.enumValue("state"), detail: try row.text("detail"),
                           resolvedAt: try row.optionalTimestamp("resolved_at_ms"), resolvedByRunID: try row.optionalInt64("resolved_by_run_id"))
    }

    public func recordNotification(_ notification: NotificationRecord) throws -> Int64 {
        try transaction {
            if let runID = notification.runID { try requireRun(runID) }
            let rows = try execute("""
                INSERT INTO notifications (run_id, bot_id, channel, category, rule, severity, symbol, text, created_at_ms, state, attempts,
                    detail, finished_at_ms)
                VALUES (\(notification.runID), \(bot), \(notification.channel), \(notification.category.rawValue), \(notification.rule),
                        \(notification.severity.rawValue), \(notification.symbol?.name), \(notification.text),
                        \(notification.createdAt.milliseconds), \(notification.state.rawValue), \(Int64(notification.attempts)),
                        \(notification.detail), \(notification.finishedAt?.milliseconds))
                RETURNING id
                """)
            guard let row = rows.first else { throw TradeStoreError.database("INSERT INTO notifications returned no id") }
            return try PostgresRecordRow(row, "notifications").int64("id")
        }
    }

    public func updateNotification(id: Int64, state: NotificationRecord.DeliveryState, attempts: Int, detail: String, time: Timestamp) throws {
        try transaction {
            let finished: Int64? = state == .pending ? nil : time.milliseconds
            let result = try execute("""
                UPDATE notifications SET state = \(state.rawValue), attempts = \(Int64(attempts)), detail = \(detail), finished_at_ms = \(finished)
                WHERE id = \(id) AND bot_id = \(bot)
                """)
            guard result.metadata.rows == 1 else { throw TradeStoreError.notFound(table: "notifications", id: id) }
        }
    }

    public func notifications(runID: Int64?, limit: Int) throws -> [NotificationRecord] {
        let count = Int64(max(0, limit))
        let query: PostgresQuery = runID.map {
            "SELECT * FROM (SELECT * FROM notifications WHERE run_id = \($0) AND bot_id = \(bot) ORDER BY id DESC LIMIT \(count)) AS latest ORDER BY id"
        } ?? "SELECT * FROM (SELECT * FROM notifications WHERE bot_id = \(bot) ORDER BY id DESC LIMIT \(count)) AS latest ORDER BY id"
        return try fetch(query, "notifications") { row in
            NotificationRecord(
                id: try row.int64("id"), runID: try row.optionalInt64("run_id"), channel: try row.text("channel"),
                category: try row.enumValue("category"), rule: try row.text("rule"), severity: try row.enumValue("severity"),
                symbol: try row.optionalSymbol("symbol"), text: try row.text("text"), createdAt: try row.timestamp("created_at_ms"),
                state: try row.enumValue("state"), attempts: Int(clamping: try row.int64("attempts")), detail: try row.text("detail"),
                finishedAt: try row.optionalTimestamp("finished_at_ms"))
        }
    }

    public func recordCommand(_ command: CommandRecord) throws -> Int64 {
        try transaction {
            if let runID = command.runID { try requireRun(runID) }
            let rows = try execute("""
                INSERT INTO commands (run_id, bot_id, channel, update_id, chat_id, sender, text, authorized, outcome, time_ms)
                VALUES (\(command.runID), \(bot), \(command.channel), \(command.updateID), \(command.chatID), \(command.sender), \(command.text),
                        \(command.authorized), \(command.outcome), \(command.time.milliseconds))
                RETURNING id
                """)
            guard let row = rows.first else { throw TradeStoreError.database("INSERT INTO commands returned no id") }
            return try PostgresRecordRow(row, "commands").int64("id")
        }
    }

    public func commands(limit: Int) throws -> [CommandRecord] {
        try fetch("SELECT * FROM (SELECT * FROM commands WHERE bot_id = \(bot) ORDER BY id DESC LIMIT \(Int64(max(0, limit)))) AS latest ORDER BY id",
                  "commands") { row in
            CommandRecord(id: try row.int64("id"), runID: try row.optionalInt64("run_id"), channel: try row.text("channel"),
                          updateID: try row.int64("update_id"), chatID: try row.int64("chat_id"), sender: try row.text("sender"),
                          text: try row.text("text"), authorized: try row.bool("authorized"), outcome: try row.text("outcome"),
                          time: try row.timestamp("time_ms"))
        }
    }
}
