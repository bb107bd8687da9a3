import Foundation
import PostgresNIO
import TradingEngine
import TradingModel

/// Runs, orders, fills, trades, exit states, decisions, alerts, equity and risk events: the same
/// rows and orders as `SQLiteTradeStore`, limited to this store's bot.
extension PostgresTradeStore {
    private var bot: String { settings.bot }

    // MARK: Runs

    public func beginRun(_ run: RunRecord) throws -> Int64 {
        try transaction {
            let rows = try execute("""
                INSERT INTO runs (bot_id, kind, started_at_ms, finished_at_ms, config_hash, detail, summary_json)
                VALUES (\(bot), \(run.kind.rawValue), \(run.startedAt.milliseconds), \(run.finishedAt?.milliseconds),
                        \(run.configHash), \(run.detail), \(run.summaryJSON))
                RETURNING id
                """)
            guard let row = rows.first else { throw TradeStoreError.database("INSERT INTO runs returned no id") }
            return try PostgresRecordRow(row, "runs").int64("id")
        }
    }

    public func finishRun(id: Int64, finishedAt: Timestamp, summaryJSON: String) throws {
        try transaction {
            let result = try execute("UPDATE runs SET finished_at_ms = \(finishedAt.milliseconds), summary_json = \(summaryJSON) WHERE id = \(id) AND bot_id = \(bot)")
            guard result.metadata.rows == 1 else { throw TradeStoreError.unknownRun(id) }
        }
    }

    public func runs() throws -> [RunRecord] {
        try fetch("SELECT * FROM runs WHERE bot_id = \(bot) ORDER BY id", "runs") { row in
            RunRecord(id: try row.int64("id"), kind: try row.enumValue("kind"), startedAt: try row.timestamp("started_at_ms"),
                      finishedAt: try row.optionalTimestamp("finished_at_ms"), configHash: try row.text("config_hash"),
                      detail: try row.text("detail"), summaryJSON: try row.optionalText("summary_json"))
        }
    }

    // MARK: Orders

    public func recordOrder(_ event: OrderEventRecord) throws {
        try insert(runID: event.runID) {
            for query in try orderQueries(event, runID: event.runID) { try execute(query) }
        }
    }

    /// The order's latest state (upsert) and its history row.
    func orderQueries(_ event: OrderEventRecord, runID: Int64) throws -> [PostgresQuery] {
        [try Self.orders.query { orderValues(event, firstSeen: event.time, runID: runID, into: &$0) },
         try Self.orderEvents.query { orderEventValues(event, runID: runID, into: &$0) }]
    }

    /// An order's row: its latest state, first seen at `firstSeen` (kept by the upsert).
    static let orders = PostgresInsert(
        table: "orders",
        columns: ["run_id", "bot_id", "client_order_id", "symbol", "side", "type", "quantity_raw", "price_raw", "trigger_price_raw",
                  "reduce_only", "close_position", "status", "first_seen_ms", "updated_at_ms"],
        conflict: """
            ON CONFLICT (run_id, client_order_id) DO UPDATE SET
                symbol = excluded.symbol, side = excluded.side, type = excluded.type, quantity_raw = excluded.quantity_raw,
                price_raw = excluded.price_raw, trigger_price_raw = excluded.trigger_price_raw,
                reduce_only = excluded.reduce_only, close_position = excluded.close_position, status = excluded.status,
                updated_at_ms = excluded.updated_at_ms
            """)

    func orderValues(_ event: OrderEventRecord, firstSeen: Timestamp, runID: Int64, into binds: inout PostgresBindings) {
        binds.append(runID); binds.append(bot); binds.append(event.clientOrderID.value); binds.append(event.symbol.name)
        binds.append(event.side.rawValue); binds.append(event.type.rawValue); binds.append(event.quantity?.raw)
        binds.append(event.price?.raw); binds.append(event.triggerPrice?.raw); binds.append(event.reduceOnly)
        binds.append(event.closePosition); binds.append(event.status); binds.append(firstSeen.milliseconds)
        binds.append(event.time.milliseconds)
    }

    static let orderEvents = PostgresInsert(
        table: "order_events",
        columns: ["run_id", "bot_id", "client_order_id", "symbol", "side", "type", "quantity_raw", "price_raw", "trigger_price_raw",
                  "reduce_only", "close_position", "status", "detail", "time_ms"])

    func orderEventValues(_ event: OrderEventRecord, runID: Int64, into binds: inout PostgresBindings) {
        binds.append(runID); binds.append(bot); binds.append(event.clientOrderID.value); binds.append(event.symbol.name)
        binds.append(event.side.rawValue); binds.append(event.type.rawValue); binds.append(event.quantity?.raw)
        binds.append(event.price?.raw); binds.append(event.triggerPrice?.raw); binds.append(event.reduceOnly)
        binds.append(event.closePosition); binds.append(event.status); binds.append(event.detail); binds.append(event.time.milliseconds)
    }

    public func orderHistory(_ id: ClientOrderID) throws -> [OrderEventRecord] {
        try fetch("SELECT * FROM order_events WHERE client_order_id = \(id.value) AND bot_id = \(bot) ORDER BY id", "order_events",
                  Self.orderEvent)
    }

    public func latestOrderEvents(runID: Int64) throws -> [OrderEventRecord] {
        // The `orders` table holds each order's latest state (keyed by run: no scan of the history).
        try fetch("""
            SELECT run_id, client_order_id, symbol, side, type, quantity_raw, price_raw, trigger_price_raw, reduce_only, close_position,
                status, ''::text AS detail, updated_at_ms AS time_ms
            FROM orders WHERE run_id = \(runID) AND bot_id = \(bot) ORDER BY updated_at_ms, client_order_id
            """, "orders", Self.orderEvent)
    }

    private static func orderEvent(_ row: PostgresRecordRow) throws -> OrderEventRecord {
        let request = OrderRequest(
            clientOrderID: try row.clientOrderID("client_order_id"), symbol: try row.symbol("symbol"),
            side: try row.enumValue("side"), type: try row.enumValue("type"), quantity: try row.optionalFixed("quantity_raw"),
            price: try row.optionalFixed("price_raw"), triggerPrice: try row.optionalFixed("trigger_price_raw"),
            reduceOnly: try row.bool("reduce_only"), closePosition: try row.bool("close_position"))
        return OrderEventRecord(runID: try row.int64("run_id"), request: request, status: try row.text("status"),
                                detail: try row.text("detail"), time: try row.timestamp("time_ms"))
    }

    // MARK: Fills and trades

    public func recordFill(_ record: FillRecord) throws {
        try insert(runID: record.runID, try fillQuery(record, runID: record.runID))
    }

    func fillQuery(_ record: FillRecord, runID: Int64) throws -> PostgresQuery {
        try Self.fills.query { fillValues(record, runID: runID, into: &$0) }
    }

    static let fills = PostgresInsert(
        table: "fills",
        columns: ["run_id", "bot_id", "client_order_id", "symbol", "side", "price_raw", "quantity_raw", "fee_raw", "liquidity", "time_ms"])

    func fillValues(_ record: FillRecord, runID: Int64, into binds: inout PostgresBindings) {
        let fill = record.fill
        binds.append(runID); binds.append(bot); binds.append(fill.clientOrderID.value); binds.append(fill.symbol.name)
        binds.append(fill.side.rawValue); binds.append(fill.price.raw); binds.append(fill.quantity.raw); binds.append(fill.fee.raw)
        binds.append(fill.liquidity.rawValue); binds.append(fill.time.milliseconds)
    }

    public func fills(runID: Int64) throws -> [FillRecord] {
        try fetch("SELECT * FROM fills WHERE run_id = \(runID) AND bot_id = \(bot) ORDER BY id", "fills") { row in
            FillRecord(runID: try row.int64("run_id"), fill: Fill(
                clientOrderID: try row.clientOrderID("client_order_id"), symbol: try row.symbol("symbol"), side: try row.enumValue("side"),
                price: try row.fixed("price_raw"), quantity: try row.fixed("quantity_raw"), fee: try row.fixed("fee_raw"),
                liquidity: try row.enumValue("liquidity"), time: try row.timestamp("time_ms")))
        }
    }

    public func recordTrade(_ trade: TradeRecord) throws {
        try insert(runID: trade.runID, try tradeQuery(trade, runID: trade.runID))
    }

    func tradeQuery(_ trade: TradeRecord, runID: Int64) throws -> PostgresQuery {
        try Self.trades.query { tradeValues(trade, runID: runID, into: &$0) }
    }

    static let trades = PostgresInsert(
        table: "trades",
        columns: ["run_id", "bot_id", "symbol", "side", "quantity_raw", "entry_time_ms", "entry_price_raw", "exit_time_ms",
                  "exit_price_raw", "exit_reason", "fees_raw", "funding_raw", "net_pnl_raw", "leverage", "planned_stop_raw",
                  "best_price_raw", "targets_hit"])

    func tradeValues(_ trade: TradeRecord, runID: Int64, into binds: inout PostgresBindings) {
        binds.append(runID); binds.append(bot); binds.append(trade.symbol.name); binds.append(trade.side.rawValue)
        binds.append(trade.quantity.raw); binds.append(trade.entryTime.milliseconds); binds.append(trade.entryPrice.raw)
        binds.append(trade.exitTime.milliseconds); binds.append(trade.exitPrice.raw); binds.append(trade.exitReason)
        binds.append(trade.fees.raw); binds.append(trade.funding.raw); binds.append(trade.netPnL.raw); binds.append(Int64(trade.leverage))
        binds.append(trade.plannedStop?.raw); binds.append(trade.bestPrice?.raw); binds.append(trade.targetsHit.map(SQLiteTradeStore.targetsText))
    }

    public func trades(runID: Int64) throws -> [TradeRecord] {
        try fetch("SELECT * FROM trades WHERE run_id = \(runID) AND bot_id = \(bot) ORDER BY id", "trades") { row in
            TradeRecord(
                runID: try row.int64("run_id"), symbol: try row.symbol("symbol"), side: try row.enumValue("side"),
                quantity: try row.fixed("quantity_raw"), entryTime: try row.timestamp("entry_time_ms"),
                entryPrice: try row.fixed("entry_price_raw"), exitTime: try row.timestamp("exit_time_ms"),
                exitPrice: try row.fixed("exit_price_raw"), exitReason: try row.text("exit_reason"), fees: try row.fixed("fees_raw"),
                funding: try row.fixed("funding_raw"), netPnL: try row.fixed("net_pnl_raw"), leverage: Int(try row.int64("leverage")),
                plannedStop: try row.optionalFixed("planned_stop_raw"), bestPrice: try row.optionalFixed("best_price_raw"),
                targetsHit: try row.optionalText("targets_hit").map { try SQLiteTradeStore.targetLevels($0, "trades") })
        }
    }

    // MARK: Exit states

    public func saveExitState(_ state: ExitStateRecord) throws {
        try insert(runID: state.runID, try exitStateQuery(state, runID: state.runID))
    }

    func exitStateQuery(_ state: ExitStateRecord, runID: Int64) throws -> PostgresQuery {
        try Self.exitStates.query { exitStateValues(state, runID: runID, into: &$0) }
    }

    static let exitStates = PostgresInsert(
        table: "exit_states",
        columns: ["run_id", "bot_id", "position_key", "symbol", "executor", "state_json", "last_price_event_at_ms", "updated_at_ms"],
        conflict: """
            ON CONFLICT (run_id, position_key) DO UPDATE SET
                symbol = excluded.symbol, executor = excluded.executor, state_json = excluded.state_json,
                last_price_event_at_ms = excluded.last_price_event_at_ms, updated_at_ms = excluded.updated_at_ms
            """)

    func exitStateValues(_ state: ExitStateRecord, runID: Int64, into binds: inout PostgresBindings) {
        binds.append(runID); binds.append(bot); binds.append(state.positionKey); binds.append(state.symbol.name)
        binds.append(state.executor); binds.append(state.stateJSON); binds.append(state.lastPriceEventAt?.milliseconds)
        binds.append(state.updatedAt.milliseconds)
    }

    public func exitStates(runID: Int64) throws -> [ExitStateRecord] {
        try fetch("SELECT * FROM exit_states WHERE run_id = \(runID) AND bot_id = \(bot) ORDER BY position_key COLLATE \"C\"", "exit_states") { row in
            ExitStateRecord(
                runID: try row.int64("run_id"), positionKey: try row.text("position_key"), symbol: try row.symbol("symbol"),
                executor: try row.text("executor"), stateJSON: try row.text("state_json"),
                lastPriceEventAt: try row.optionalTimestamp("last_price_event_at_ms"), updatedAt: try row.timestamp("updated_at_ms"))
        }
    }

    public func deleteExitState(runID: Int64, positionKey: String) throws {
        try transaction {
            _ = try execute("DELETE FROM exit_states WHERE run_id = \(runID) AND position_key = \(positionKey) AND bot_id = \(bot)")
        }
    }

    // MARK: Decisions, alerts, equity, risk

    public func recordDecision(_ decision: DecisionRecord) throws {
        try insert(runID: decision.runID, try decisionQuery(decision, runID: decision.runID))
    }

    func decisionQuery(_ decision: DecisionRecord, runID: Int64) throws -> PostgresQuery {
        let encoder = JSONEncoder()
        return try Self.decisions.query { try decisionValues(decision, runID: runID, encoder: encoder, into: &$0) }
    }

    static let decisions = PostgresInsert(
        table: "decisions",
        columns: ["run_id", "bot_id", "symbol", "side", "confidence", "signal_time_ms", "source", "feature_hash", "approved",
                  "reasons_json", "quantity_raw", "leverage", "time_ms", "reference_price_raw"])

    func decisionValues(_ decision: DecisionRecord, runID: Int64, encoder: JSONEncoder, into binds: inout PostgresBindings) throws {
        let signal = decision.signal
        let reasons = String(decoding: try encoder.encode(decision.reasons), as: UTF8.self)
        binds.append(runID); binds.append(bot); binds.append(signal.symbol.name); binds.append(signal.side.rawValue)
        binds.append(signal.confidence); binds.append(signal.time.milliseconds); binds.append(signal.source)
        binds.append(signal.featureHash); binds.append(decision.approved); binds.append(reasons); binds.append(decision.quantity?.raw)
        binds.append(decision.leverage.map(Int64.init)); binds.append(decision.time.milliseconds); binds.append(decision.referencePrice?.raw)
    }

    public func decisions(runID: Int64) throws -> [DecisionRecord] {
        try fetch("SELECT * FROM decisions WHERE run_id = \(runID) AND bot_id = \(bot) ORDER BY id", "decisions") { row in
            let reasonsText = try row.text("reasons_json")
            guard let reasons = try? JSONDecoder().decode([String].self, from: Data(reasonsText.utf8)) else {
                throw TradeStoreError.corruptRecord(table: "decisions", column: "reasons_json", value: reasonsText)
            }
            let signal = Signal(symbol: try row.symbol("symbol"), side: try row.enumValue("side"),
                                confidence: try row.optionalDouble("confidence"), time: try row.timestamp("signal_time_ms"),
                                source: try row.text("source"), featureHash: try row.optionalText("feature_hash"))
            return DecisionRecord(runID: try row.int64("run_id"), signal: signal, approved: try row.bool("approved"), reasons: reasons,
                                  quantity: try row.optionalFixed("quantity_raw"), leverage: try row.optionalInt64("leverage").map { Int($0) },
                                  time: try row.timestamp("time_ms"), referencePrice: try row.optionalFixed("reference_price_raw"))
        }
    }

    public func recordAlert(_ record: AlertRecord) throws {
        try insert(runID: record.runID, try alertQuery(record, runID: record.runID))
    }

    func alertQuery(_ record: AlertRecord, runID: Int64?) throws -> PostgresQuery {
        try Self.alerts.query { alertValues(record, runID: runID, into: &$0) }
    }

    static let alerts = PostgresInsert(table: "alerts", columns: ["run_id", "bot_id", "severity", "kind", "message", "symbol", "time_ms"])

    func alertValues(_ record: AlertRecord, runID: Int64?, into binds: inout PostgresBindings) {
        let alert = record.alert
        binds.append(runID); binds.append(bot); binds.append(alert.severity.rawValue); binds.append(alert.kind.rawValue)
        binds.append(alert.message); binds.append(alert.symbol?.name); binds.append(alert.time.milliseconds)
    }

    public func alerts(runID: Int64?) throws -> [AlertRecord] {
        let query: PostgresQuery = runID.map { "SELECT * FROM alerts WHERE run_id = \($0) AND bot_id = \(bot) ORDER BY id" }
            ?? "SELECT * FROM alerts WHERE bot_id = \(bot) ORDER BY id"
        return try fetch(query, "alerts") { row in
            AlertRecord(runID: try row.optionalInt64("run_id"), alert: Alert(
                severity: try row.enumValue("severity"), kind: AlertKind(rawValue: try row.text("kind")), message: try row.text("message"),
                symbol: try row.optionalSymbol("symbol"), time: try row.timestamp("time_ms")))
        }
    }

    public func recordEquity(_ snapshot: EquitySnapshotRecord) throws {
        try insert(runID: snapshot.runID, try equityQuery(snapshot, runID: snapshot.runID))
    }

    func equityQuery(_ snapshot: EquitySnapshotRecord, runID: Int64) throws -> PostgresQuery {
        try Self.equitySnapshots.query { equityValues(snapshot, runID: runID, into: &$0) }
    }

    static let equitySnapshots = PostgresInsert(
        table: "equity_snapshots",
        columns: ["run_id", "bot_id", "time_ms", "equity_raw", "wallet_balance_raw", "unrealized_pnl_raw", "drawdown_raw"])

    func equityValues(_ snapshot: EquitySnapshotRecord, runID: Int64, into binds: inout PostgresBindings) {
        binds.append(runID); binds.append(bot); binds.append(snapshot.time.milliseconds); binds.append(snapshot.equity.raw)
        binds.append(snapshot.walletBalance.raw); binds.append(snapshot.unrealizedPnL.raw); binds.append(snapshot.drawdown.raw)
    }

    public func equity(runID: Int64) throws -> [EquitySnapshotRecord] {
        try fetch("SELECT * FROM equity_snapshots WHERE run_id = \(runID) AND bot_id = \(bot) ORDER BY id", "equity_snapshots") { row in
            EquitySnapshotRecord(runID: try row.int64("run_id"), time: try row.timestamp("time_ms"), equity: try row.fixed("equity_raw"),
                                 walletBalance: try row.fixed("wallet_balance_raw"), unrealizedPnL: try row.fixed("unrealized_pnl_raw"),
                                 drawdown: try row.fixed("drawdown_raw"))
        }
    }

    public func recordRiskEvent(_ event: RiskEventRecord) throws {
        try insert(runID: event.runID, try riskEventQuery(event, runID: event.runID))
    }

    func riskEventQuery(_ event: RiskEventRecord, runID: Int64?) throws -> PostgresQuery {
        try Self.riskEvents.query { riskEventValues(event, runID: runID, into: &$0) }
    }

    static let riskEvents = PostgresInsert(table: "risk_events", columns: ["run_id", "bot_id", "state", "cause", "detail", "time_ms"])

    func riskEventValues(_ event: RiskEventRecord, runID: Int64?, into binds: inout PostgresBindings) {
        binds.append(runID); binds.append(bot); binds.append(event.state); binds.append(event.cause); binds.append(event.detail)
        binds.append(event.time.milliseconds)
    }

    public func riskEvents(runID: Int64?) throws -> [RiskEventRecord] {
        let query: PostgresQuery = runID.map { "SELECT * FROM risk_events WHERE run_id = \($0) AND bot_id = \(bot) ORDER BY id" }
            ?? "SELECT * FROM risk_events WHERE bot_id = \(bot) ORDER BY id"
        return try fetch(query, "risk_events") { row in
            RiskEventRecord(runID: try row.optionalInt64("run_id"), state: try row.text("state"), cause: try row.text("cause"),
                            detail: try row.text("detail"), time: try row.timestamp("time_ms"))
        }
    }

    // MARK: Helpers

    /// One insert in its own transaction. The foreign key on `(run_id, bot_id)` checks that the
    /// run exists and is this bot's, in the same round trip; its violation is `unknownRun`.
    func insert(runID: Int64?, _ query: PostgresQuery) throws {
        try insert(runID: runID) { try execute(query) }
    }

    /// `body`'s statements in one transaction; a foreign key violation is `unknownRun(runID)`.
    func insert(runID: Int64?, _ body: () throws -> Void) throws {
        try transaction {
            do { try body() } catch let failure as PostgresFailure where failure.isForeignKeyViolation {
                throw TradeStoreError.unknownRun(runID ?? 0)
            }
        }
    }

    func fetch<T>(_ query: PostgresQuery, _ table: String, _ map: (PostgresRecordRow) throws -> T) throws -> [T] {
        try transaction { try execute(query).map { try map(PostgresRecordRow($0, table)) } }
    }
}
