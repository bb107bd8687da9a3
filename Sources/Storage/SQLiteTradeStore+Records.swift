import Foundation
import GRDB
import TradingEngine
import TradingModel

/// Fills, trades, exit states, decisions, alerts, equity snapshots and risk events.
/// Lists come back in insertion order (exit states by position key).
extension SQLiteTradeStore {
    // MARK: Fills

    public func recordFill(_ record: FillRecord) throws {
        try insert(runID: record.runID, sql: RecordSQL.fill, RecordSQL.fill(record, runID: record.runID))
    }

    public func fills(runID: Int64) throws -> [FillRecord] {
        try fetch("SELECT * FROM fills WHERE run_id = ? ORDER BY id", [runID]) { row in
            let table = "fills"
            return FillRecord(runID: try row.int64("run_id", table), fill: Fill(
                clientOrderID: try row.clientOrderID("client_order_id", table), symbol: try row.symbol("symbol", table),
                side: try row.enumValue("side", table), price: try row.fixed("price_raw", table),
                quantity: try row.fixed("quantity_raw", table), fee: try row.fixed("fee_raw", table),
                liquidity: try row.enumValue("liquidity", table), time: try row.timestamp("time_ms", table)))
        }
    }

    // MARK: Trades

    public func recordTrade(_ trade: TradeRecord) throws {
        try insert(runID: trade.runID, sql: RecordSQL.trade, RecordSQL.trade(trade, runID: trade.runID))
    }

    public func trades(runID: Int64) throws -> [TradeRecord] {
        try fetch("SELECT * FROM trades WHERE run_id = ? ORDER BY id", [runID]) { row in
            let table = "trades"
            return TradeRecord(
                runID: try row.int64("run_id", table), symbol: try row.symbol("symbol", table),
                side: try row.enumValue("side", table), quantity: try row.fixed("quantity_raw", table),
                entryTime: try row.timestamp("entry_time_ms", table), entryPrice: try row.fixed("entry_price_raw", table),
                exitTime: try row.timestamp("exit_time_ms", table), exitPrice: try row.fixed("exit_price_raw", table),
                exitReason: try row.text("exit_reason", table), fees: try row.fixed("fees_raw", table),
                funding: try row.fixed("funding_raw", table), netPnL: try row.fixed("net_pnl_raw", table),
                leverage: Int(try row.int64("leverage", table)), plannedStop: try Self.exitDetail(row, "planned_stop_raw", table),
                bestPrice: try Self.exitDetail(row, "best_price_raw", table), targetsHit: try Self.targets(row, table))
        }
    }

    // MARK: Exit states

    public func saveExitState(_ state: ExitStateRecord) throws {
        try insert(runID: state.runID, sql: RecordSQL.saveExitState, RecordSQL.saveExitState(state, runID: state.runID))
    }

    public func exitStates(runID: Int64) throws -> [ExitStateRecord] {
        try fetch("SELECT * FROM exit_states WHERE run_id = ? ORDER BY position_key", [runID]) { row in
            let table = "exit_states"
            return ExitStateRecord(
                runID: try row.int64("run_id", table), positionKey: try row.text("position_key", table),
                symbol: try row.symbol("symbol", table), executor: try row.text("executor", table),
                stateJSON: try row.text("state_json", table),
                lastPriceEventAt: try row.optionalTimestamp("last_price_event_at_ms", table),
                updatedAt: try row.timestamp("updated_at_ms", table))
        }
    }

    public func deleteExitState(runID: Int64, positionKey: String) throws {
        try write { db in
            try db.execute(sql: RecordSQL.deleteExitState, arguments: [runID, positionKey])
        }
    }

    // MARK: Decisions

    public func recordDecision(_ decision: DecisionRecord) throws {
        try insert(runID: decision.runID, sql: RecordSQL.decision,
                   try RecordSQL.decision(decision, runID: decision.runID, encoder: JSONEncoder()))
    }

    public func decisions(runID: Int64) throws -> [DecisionRecord] {
        try fetch("SELECT * FROM decisions WHERE run_id = ? ORDER BY id", [runID]) { row in
            let table = "decisions"
            let reasonsText = try row.text("reasons_json", table)
            guard let reasons = try? JSONDecoder().decode([String].self, from: Data(reasonsText.utf8)) else {
                throw TradeStoreError.corruptRecord(table: table, column: "reasons_json", value: reasonsText)
            }
            let signal = Signal(
                symbol: try row.symbol("symbol", table), side: try row.enumValue("side", table),
                confidence: try row.optionalDouble("confidence", table), time: try row.timestamp("signal_time_ms", table),
                source: try row.text("source", table), featureHash: try row.optionalText("feature_hash", table))
            return DecisionRecord(
                runID: try row.int64("run_id", table), signal: signal, approved: try row.bool("approved", table),
                reasons: reasons, quantity: try row.optionalFixed("quantity_raw", table),
                leverage: try row.optionalInt64("leverage", table).map { Int($0) }, time: try row.timestamp("time_ms", table),
                referencePrice: try Self.exitDetail(row, "reference_price_raw", table))
        }
    }

    // MARK: Alerts

    public func recordAlert(_ record: AlertRecord) throws {
        try insert(runID: record.runID, sql: RecordSQL.alert, RecordSQL.alert(record, runID: record.runID))
    }

    public func alerts(runID: Int64?) throws -> [AlertRecord] {
        let (filter, arguments) = Self.optionalRunFilter(runID)
        return try fetch("SELECT * FROM alerts \(filter) ORDER BY id", arguments) { row in
            let table = "alerts"
            return AlertRecord(runID: try row.optionalInt64("run_id", table), alert: Alert(
                severity: try row.enumValue("severity", table), kind: AlertKind(rawValue: try row.text("kind", table)),
                message: try row.text("message", table), symbol: try row.optionalSymbol("symbol", table),
                time: try row.timestamp("time_ms", table)))
        }
    }

    // MARK: Equity

    public func recordEquity(_ snapshot: EquitySnapshotRecord) throws {
        try insert(runID: snapshot.runID, sql: RecordSQL.equity, RecordSQL.equity(snapshot, runID: snapshot.runID))
    }

    public func equity(runID: Int64) throws -> [EquitySnapshotRecord] {
        try fetch("SELECT * FROM equity_snapshots WHERE run_id = ? ORDER BY id", [runID]) { row in
            let table = "equity_snapshots"
            return EquitySnapshotRecord(
                runID: try row.int64("run_id", table), time: try row.timestamp("time_ms", table),
                equity: try row.fixed("equity_raw", table), walletBalance: try row.fixed("wallet_balance_raw", table),
                unrealizedPnL: try row.fixed("unrealized_pnl_raw", table), drawdown: try row.fixed("drawdown_raw", table))
        }
    }

    // MARK: Risk events

    public func recordRiskEvent(_ event: RiskEventRecord) throws {
        try insert(runID: event.runID, sql: RecordSQL.riskEvent, RecordSQL.riskEvent(event, runID: event.runID))
    }

    public func riskEvents(runID: Int64?) throws -> [RiskEventRecord] {
        let (filter, arguments) = Self.optionalRunFilter(runID)
        return try fetch("SELECT * FROM risk_events \(filter) ORDER BY id", arguments) { row in
            let table = "risk_events"
            return RiskEventRecord(
                runID: try row.optionalInt64("run_id", table), state: try row.text("state", table),
                cause: try row.text("cause", table), detail: try row.text("detail", table),
                time: try row.timestamp("time_ms", table))
        }
    }

    // MARK: Helpers

    /// One insert in its own transaction, after checking the run exists (when given); the
    /// statement is prepared once per connection and reused (`cachedStatement`).
    private func insert(runID: Int64?, sql: String, _ arguments: @autoclosure () throws -> StatementArguments) throws {
        try write { db in
            if let runID { try Self.requireRun(runID, db) }
            try db.cachedStatement(sql: sql).execute(arguments: try arguments())
        }
    }

    private func fetch<T>(_ sql: String, _ arguments: StatementArguments, _ map: (Row) throws -> T) throws -> [T] {
        try read { db in try Row.fetchAll(db, sql: sql, arguments: arguments).map(map) }
    }

    private static func optionalRunFilter(_ runID: Int64?) -> (String, StatementArguments) {
        guard let runID else { return ("", []) }
        return ("WHERE run_id = ?", [runID])
    }
}
