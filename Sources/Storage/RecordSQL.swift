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
            reasons_json, quantity_raw, leverage, time_ms)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """
    static let alert = "INSERT INTO alerts (run_id, severity, kind, message, symbol, time_ms) VALUES (?, ?, ?, ?, ?, ?)"
    static let equity = """
        INSERT INTO equity_snapshots (run_id, time_ms, equity_raw, wallet_balance_raw, unrealized_pnl_raw, drawdown_raw)
        VALUES (?, ?, ?, ?, ?, ?)
        """
    static let riskEvent = "INSERT INTO risk_events (run_id, state, cause, detail, time_ms) VALUES (?, ?, ?, ?, ?)"

    static func beginRun(_ run: RunRecord) -> StatementArguments {
        [run.kind.rawValue, run.startedAt.milliseconds, run.finishedAt?.milliseconds, run.configHash, run.detail, run.summaryJSON]
    }

    /// The order's columns without the time (`orderUpsert` adds first seen and updated at, `orderEvent` detail and time).
    private static func order(_ event: OrderEventRecord, runID: Int64) -> StatementArguments {
        [runID, event.clientOrderID.value, event.symbol.name, event.side.rawValue, event.type.rawValue,
         event.quantity?.raw, event.price?.raw, event.triggerPrice?.raw, event.reduceOnly, event.closePosition, event.status]
    }

    static func orderUpsert(_ event: OrderEventRecord, runID: Int64) -> StatementArguments {
        order(event, runID: runID) + [event.time.milliseconds, event.time.milliseconds]
    }

    static func orderEvent(_ event: OrderEventRecord, runID: Int64) -> StatementArguments {
        order(event, runID: runID) + [event.detail, event.time.milliseconds]
    }

    static func fill(_ record: FillRecord, runID: Int64) -> StatementArguments {
        let fill = record.fill
        return [runID, fill.clientOrderID.value, fill.symbol.name, fill.side.rawValue, fill.price.raw,
                fill.quantity.raw, fill.fee.raw, fill.liquidity.rawValue, fill.time.milliseconds]
    }

    static func trade(_ trade: TradeRecord, runID: Int64) -> StatementArguments {
        [runID, trade.symbol.name, trade.side.rawValue, trade.quantity.raw, trade.entryTime.milliseconds,
         trade.entryPrice.raw, trade.exitTime.milliseconds, trade.exitPrice.raw, trade.exitReason,
         trade.fees.raw, trade.funding.raw, trade.netPnL.raw, trade.leverage, trade.plannedStop?.raw, trade.bestPrice?.raw,
         trade.targetsHit.map(SQLiteTradeStore.targetsText)]
    }

    static func saveExitState(_ state: ExitStateRecord, runID: Int64) -> StatementArguments {
        [runID, state.positionKey, state.symbol.name, state.executor, state.stateJSON,
         state.lastPriceEventAt?.milliseconds, state.updatedAt.milliseconds]
    }

    /// `encoder` encodes the reasons as a JSON array (one encoder may serve many decisions).
    static func decision(_ decision: DecisionRecord, runID: Int64, encoder: JSONEncoder) throws -> StatementArguments {
        let signal = decision.signal
        let reasons = String(decoding: try encoder.encode(decision.reasons), as: UTF8.self)
        return [runID, signal.symbol.name, signal.side.rawValue, signal.confidence, signal.time.milliseconds,
                signal.source, signal.featureHash, decision.approved, reasons, decision.quantity?.raw,
                decision.leverage, decision.time.milliseconds]
    }

    static func alert(_ record: AlertRecord, runID: Int64?) -> StatementArguments {
        let alert = record.alert
        return [runID, alert.severity.rawValue, alert.kind, alert.message, alert.symbol?.name, alert.time.milliseconds]
    }

    static func equity(_ snapshot: EquitySnapshotRecord, runID: Int64) -> StatementArguments {
        [runID, snapshot.time.milliseconds, snapshot.equity.raw, snapshot.walletBalance.raw,
         snapshot.unrealizedPnL.raw, snapshot.drawdown.raw]
    }

    static func riskEvent(_ event: RiskEventRecord, runID: Int64?) -> StatementArguments {
        [runID, event.state, event.cause, event.detail, event.time.milliseconds]
    }
}
