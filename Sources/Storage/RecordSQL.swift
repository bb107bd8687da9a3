import Foundation
import GRDB
import TradingEngine
import TradingModel

/// The statements that write a run's records and their arguments, shared by the one-record calls
/// (`recordFill`, …) and the whole-run batch (`recordRun`), so both write the same rows.
enum RecordSQL {
    static let beginRun = """
        INSERT INTO runs (kind, started_at_ms, finished_at_ms, config_hash, detail, summary_json)
        VALUES (?, ?, ?, ?, ?, ?)
        """
    static let finishRun = "UPDATE runs SET finished_at_ms = ?, summary_json = ? WHERE id = ?"
    static let orderUpsert = """
        INSERT INTO orders (run_id, client_order_id, symbol, side, type, quantity_raw, price_raw,
            trigger_price_raw, reduce_only, close_position, status, first_seen_ms, updated_at_ms)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (run_id, client_order_id) DO UPDATE SET
            symbol = excluded.symbol, side = excluded.side, type = excluded.type,
            quantity_raw = excluded.quantity_raw, price_raw = excluded.price_raw,
            trigger_price_raw = excluded.trigger_price_raw, reduce_only = excluded.reduce_only,
            close_position = excluded.close_position, status = excluded.status,
            updated_at_ms = excluded.updated_at_ms
        """
    static let orderEvent = """
        INSERT INTO order_events (run_id, client_order_id, symbol, side, type, quantity_raw, price_raw,
            trigger_price_raw, reduce_only, close_position, status, detail, time_ms)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """
    static let fill = """
        INSERT INTO fills (run_id, client_order_id, symbol, side, price_raw, quantity_raw, fee_raw, liquidity, time_ms)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        """
    static let trade = """
        INSERT INTO trades (run_id, symbol, side, quantity_raw, entry_time_ms, entry_price_raw, exit_time_ms,
            exit_price_raw, exit_reason, fees_raw, funding_raw, net_pnl_raw, leverage, planned_stop_raw, best_price_raw, targets_hit)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """
    static let saveExitState = """
        INSERT OR REPLACE INTO exit_states (run_id, position_key, symbol, executor, state_json,
            last_price_event_at_ms, updated_at_ms)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        """
    static let deleteExitState = "DELETE FROM exit_states WHERE run_id = ? AND position_key = ?"
    static let decision = """
        INSERT INTO decisions (run_id, symbol, side, confidence, signal_time_ms, source, feature_hash, approved,
            reasons_json, quantity_raw, leverage, time_ms, reference_price_raw)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """
    static let alert = "INSERT INTO alerts (run_id, severity, kind, message, symbol, time_ms) VALUES (?, ?, ?, ?, ?, ?)"
    static let equity = """
        INSERT INTO equity_snapshots (run_id, time_ms, equity_raw, wallet_balance_raw, unrealized_pnl_raw, drawdown_raw)
        VALUES (?, ?, ?, ?, ?, ?)
        """
    static let riskEvent = "INSERT INTO risk_events (run_id, state, cause, detail, time_ms) VALUES (?, ?, ?, ?, ?)"

    /// `sql` (one `INSERT … VALUES (?, …)`, optionally followed by an `ON CONFLICT` clause) with
    /// its row of parameters repeated `rows` times: one statement inserting `rows` rows, in order,
    /// exactly as `rows` executions of `sql` would (the whole-run batch).
    static func multiRow(_ sql: String, rows: Int) -> String {
        guard rows > 1, let values = sql.range(of: "VALUES ("),
              let close = sql[values.upperBound...].firstIndex(of: ")") else { return sql }
        let tuple = sql[sql.index(before: values.upperBound)...close]
        return String(sql[..<values.lowerBound]) + "VALUES " + Array(repeating: tuple, count: rows).joined(separator: ", ")
            + sql[sql.index(after: close)...]
    }

    static func beginRun(_ run: RunRecord) -> StatementArguments {
        [run.kind.rawValue, run.startedAt.milliseconds, run.finishedAt?.milliseconds, run.configHash, run.detail, run.summaryJSON]
    }

    // Each record's values in its statement's parameter order, written into any `SQLRow`: GRDB
    // arguments for the one-record calls, values bound in place for the whole-run batch, so both
    // write the same rows from one list of columns.

    /// The order's columns without the time (`orderUpsert` adds first seen and updated at, `orderEvent` detail and time).
    private static func order<Row: SQLRow>(_ event: OrderEventRecord, runID: Int64, into row: inout Row) {
        row.add(runID); row.add(event.clientOrderID.value); row.add(event.symbol.name); row.add(event.side.rawValue)
        row.add(event.type.rawValue); row.add(event.quantity?.raw); row.add(event.price?.raw); row.add(event.triggerPrice?.raw)
        row.add(event.reduceOnly); row.add(event.closePosition); row.add(event.status)
    }

    /// `firstSeen` is the time of the order's first event (the upsert keeps the first row's).
    static func orderUpsert<Row: SQLRow>(_ event: OrderEventRecord, firstSeen: Timestamp, runID: Int64, into row: inout Row) {
        order(event, runID: runID, into: &row)
        row.add(firstSeen.milliseconds); row.add(event.time.milliseconds)
    }

    static func orderEvent<Row: SQLRow>(_ event: OrderEventRecord, runID: Int64, into row: inout Row) {
        order(event, runID: runID, into: &row)
        row.add(event.detail); row.add(event.time.milliseconds)
    }

    static func fill<Row: SQLRow>(_ record: FillRecord, runID: Int64, into row: inout Row) {
        let fill = record.fill
        row.add(runID); row.add(fill.clientOrderID.value); row.add(fill.symbol.name); row.add(fill.side.rawValue)
        row.add(fill.price.raw); row.add(fill.quantity.raw); row.add(fill.fee.raw); row.add(fill.liquidity.rawValue)
        row.add(fill.time.milliseconds)
    }

    static func trade<Row: SQLRow>(_ trade: TradeRecord, runID: Int64, into row: inout Row) {
        row.add(runID); row.add(trade.symbol.name); row.add(trade.side.rawValue); row.add(trade.quantity.raw)
        row.add(trade.entryTime.milliseconds); row.add(trade.entryPrice.raw); row.add(trade.exitTime.milliseconds)
        row.add(trade.exitPrice.raw); row.add(trade.exitReason); row.add(trade.fees.raw); row.add(trade.funding.raw)
        row.add(trade.netPnL.raw); row.add(trade.leverage); row.add(trade.plannedStop?.raw); row.add(trade.bestPrice?.raw)
        row.add(trade.targetsHit.map(SQLiteTradeStore.targetsText))
    }

    static func saveExitState<Row: SQLRow>(_ state: ExitStateRecord, runID: Int64, into row: inout Row) {
        row.add(runID); row.add(state.positionKey); row.add(state.symbol.name); row.add(state.executor)
        row.add(state.stateJSON); row.add(state.lastPriceEventAt?.milliseconds); row.add(state.updatedAt.milliseconds)
    }

    /// `encoder` encodes the reasons as a JSON array (one encoder may serve many decisions; no
    /// reasons is `[]`, what the encoder writes for an empty array, without calling it).
    static func decision<Row: SQLRow>(_ decision: DecisionRecord, runID: Int64, encoder: JSONEncoder, into row: inout Row) throws {
        let signal = decision.signal
        let reasons = decision.reasons.isEmpty ? "[]" : String(decoding: try encoder.encode(decision.reasons), as: UTF8.self)
        row.add(runID); row.add(signal.symbol.name); row.add(signal.side.rawValue); row.add(signal.confidence)
        row.add(signal.time.milliseconds); row.add(signal.source); row.add(signal.featureHash); row.add(decision.approved)
        row.add(reasons); row.add(decision.quantity?.raw); row.add(decision.leverage); row.add(decision.time.milliseconds)
        row.add(decision.referencePrice?.raw)
    }

    static func alert<Row: SQLRow>(_ record: AlertRecord, runID: Int64?, into row: inout Row) {
        let alert = record.alert
        row.add(runID); row.add(alert.severity.rawValue); row.add(alert.kind.rawValue); row.add(alert.message)
        row.add(alert.symbol?.name); row.add(alert.time.milliseconds)
    }

    static func equity<Row: SQLRow>(_ snapshot: EquitySnapshotRecord, runID: Int64, into row: inout Row) {
        row.add(runID); row.add(snapshot.time.milliseconds); row.add(snapshot.equity.raw); row.add(snapshot.walletBalance.raw)
        row.add(snapshot.unrealizedPnL.raw); row.add(snapshot.drawdown.raw)
    }

    static func riskEvent<Row: SQLRow>(_ event: RiskEventRecord, runID: Int64?, into row: inout Row) {
        row.add(runID); row.add(event.state); row.add(event.cause); row.add(event.detail); row.add(event.time.milliseconds)
    }

    // The same values as GRDB arguments, for the one-record calls.

    static func orderUpsert(_ event: OrderEventRecord, runID: Int64) -> StatementArguments {
        ArgumentsRow.make { orderUpsert(event, firstSeen: event.time, runID: runID, into: &$0) }
    }

    static func orderEvent(_ event: OrderEventRecord, runID: Int64) -> StatementArguments {
        ArgumentsRow.make { orderEvent(event, runID: runID, into: &$0) }
    }

    static func fill(_ record: FillRecord, runID: Int64) -> StatementArguments {
        ArgumentsRow.make { fill(record, runID: runID, into: &$0) }
    }

    static func trade(_ record: TradeRecord, runID: Int64) -> StatementArguments {
        ArgumentsRow.make { trade(record, runID: runID, into: &$0) }
    }

    static func saveExitState(_ state: ExitStateRecord, runID: Int64) -> StatementArguments {
        ArgumentsRow.make { saveExitState(state, runID: runID, into: &$0) }
    }

    static func decision(_ record: DecisionRecord, runID: Int64, encoder: JSONEncoder) throws -> StatementArguments {
        var row = ArgumentsRow()
        try decision(record, runID: runID, encoder: encoder, into: &row)
        return row.arguments
    }

    static func alert(_ record: AlertRecord, runID: Int64?) -> StatementArguments {
        ArgumentsRow.make { alert(record, runID: runID, into: &$0) }
    }

    static func equity(_ snapshot: EquitySnapshotRecord, runID: Int64) -> StatementArguments {
        ArgumentsRow.make { equity(snapshot, runID: runID, into: &$0) }
    }

    static func riskEvent(_ event: RiskEventRecord, runID: Int64?) -> StatementArguments {
        ArgumentsRow.make { riskEvent(event, runID: runID, into: &$0) }
    }
}
