/// Versioned schema of the PostgreSQL store (the same tables as `StorageSchema` for SQLite,
/// plus the owner of every row). Migrations are append-only; `qt_migrations` records the
/// applied versions, and `qt store migrate` applies the missing ones under an advisory lock
/// (several bots may start at once).
///
/// Several bots share one database: every row carries `bot_id`, every query of the store
/// filters by it, every reference to a run is a foreign key on `(run_id, bot_id)` (a row can
/// only point at a run of its own bot), and row-level security (`FORCE ROW LEVEL SECURITY`, policy `bot_id =
/// current_setting('qt.bot_id')`) holds any other query of the application role to the bot its
/// session names (a session that names none sees nothing). Run and row ids come from shared
/// sequences, so ids never collide between bots. A superuser bypasses row-level security: give
/// the bots an ordinary role.
///
/// Conventions as in SQLite: fixed-point values are `BIGINT` raw units (suffix `_raw`), instants
/// `BIGINT` UTC milliseconds (suffix `_ms`), enums their raw text with a `CHECK`. No secrets.
enum PostgresSchema {
    static let versions = ["v1", "v2", "v3", "v4", "v5"]

    /// The SQL of each version.
    static func migration(_ version: String) -> String {
        switch version {
        case "v1": version1
        case "v2": version2
        case "v3": version3
        case "v4": version4
        case "v5": version5
        default: ""
        }
    }

    /// Row ownership on `table`: the bot column, row-level security and its policy.
    private static func owned(_ table: String) -> String {
        """
        ALTER TABLE \(table) ENABLE ROW LEVEL SECURITY;
        ALTER TABLE \(table) FORCE ROW LEVEL SECURITY;
        CREATE POLICY \(table)_by_bot ON \(table)
            USING (bot_id = current_setting('qt.bot_id', true))
            WITH CHECK (bot_id = current_setting('qt.bot_id', true));
        """
    }

    private static let bot = "bot_id TEXT NOT NULL DEFAULT current_setting('qt.bot_id', true) CHECK (bot_id <> '')"

    private static let version1 = """
    CREATE TABLE runs (
        id BIGSERIAL PRIMARY KEY,
        \(bot),
        kind TEXT NOT NULL CHECK (kind IN ('backtest', 'paper', 'live')),
        started_at_ms BIGINT NOT NULL,
        finished_at_ms BIGINT,
        config_hash TEXT NOT NULL,
        detail TEXT NOT NULL,
        summary_json TEXT,
        UNIQUE (id, bot_id)
    );
    CREATE INDEX runs_by_bot ON runs(bot_id, id);
    \(owned("runs"))

    CREATE TABLE orders (
        run_id BIGINT NOT NULL,
        \(bot),
        client_order_id TEXT NOT NULL,
        symbol TEXT NOT NULL,
        side TEXT NOT NULL CHECK (side IN ('BUY', 'SELL')),
        type TEXT NOT NULL,
        quantity_raw BIGINT,
        price_raw BIGINT,
        trigger_price_raw BIGINT,
        reduce_only BOOLEAN NOT NULL,
        close_position BOOLEAN NOT NULL,
        status TEXT NOT NULL,
        first_seen_ms BIGINT NOT NULL,
        updated_at_ms BIGINT NOT NULL,
        PRIMARY KEY (run_id, client_order_id),
        FOREIGN KEY (run_id, bot_id) REFERENCES runs(id, bot_id)
    );
    \(owned("orders"))

    CREATE TABLE order_events (
        id BIGSERIAL PRIMARY KEY,
        run_id BIGINT NOT NULL,
        \(bot),
        client_order_id TEXT NOT NULL,
        symbol TEXT NOT NULL,
        side TEXT NOT NULL CHECK (side IN ('BUY', 'SELL')),
        type TEXT NOT NULL,
        quantity_raw BIGINT,
        price_raw BIGINT,
        trigger_price_raw BIGINT,
        reduce_only BOOLEAN NOT NULL,
        close_position BOOLEAN NOT NULL,
        status TEXT NOT NULL,
        detail TEXT NOT NULL,
        time_ms BIGINT NOT NULL,
        FOREIGN KEY (run_id, client_order_id) REFERENCES orders(run_id, client_order_id)
    );
    CREATE INDEX order_events_by_order ON order_events(bot_id, client_order_id, id);
    \(owned("order_events"))

    CREATE TABLE fills (
        id BIGSERIAL PRIMARY KEY,
        run_id BIGINT NOT NULL,
        \(bot),
        client_order_id TEXT NOT NULL,
        symbol TEXT NOT NULL,
        side TEXT NOT NULL CHECK (side IN ('BUY', 'SELL')),
        price_raw BIGINT NOT NULL,
        quantity_raw BIGINT NOT NULL,
        fee_raw BIGINT NOT NULL,
        liquidity TEXT NOT NULL CHECK (liquidity IN ('MAKER', 'TAKER')),
        time_ms BIGINT NOT NULL,
        FOREIGN KEY (run_id, bot_id) REFERENCES runs(id, bot_id)
    );
    CREATE INDEX fills_by_run ON fills(run_id, id);
    \(owned("fills"))

    CREATE TABLE trades (
        id BIGSERIAL PRIMARY KEY,
        run_id BIGINT NOT NULL,
        \(bot),
        symbol TEXT NOT NULL,
        side TEXT NOT NULL CHECK (side IN ('LONG', 'SHORT')),
        quantity_raw BIGINT NOT NULL,
        entry_time_ms BIGINT NOT NULL,
        entry_price_raw BIGINT NOT NULL,
        exit_time_ms BIGINT NOT NULL,
        exit_price_raw BIGINT NOT NULL,
        exit_reason TEXT NOT NULL,
        fees_raw BIGINT NOT NULL,
        funding_raw BIGINT NOT NULL,
        net_pnl_raw BIGINT NOT NULL,
        leverage BIGINT NOT NULL,
        FOREIGN KEY (run_id, bot_id) REFERENCES runs(id, bot_id)
    );
    CREATE INDEX trades_by_run ON trades(run_id, id);
    \(owned("trades"))

    CREATE TABLE exit_states (
        run_id BIGINT NOT NULL,
        \(bot),
        position_key TEXT NOT NULL,
        symbol TEXT NOT NULL,
        executor TEXT NOT NULL,
        state_json TEXT NOT NULL,
        last_price_event_at_ms BIGINT,
        updated_at_ms BIGINT NOT NULL,
        PRIMARY KEY (run_id, position_key),
        FOREIGN KEY (run_id, bot_id) REFERENCES runs(id, bot_id)
    );
    \(owned("exit_states"))

    CREATE TABLE decisions (
        id BIGSERIAL PRIMARY KEY,
        run_id BIGINT NOT NULL,
        \(bot),
        symbol TEXT NOT NULL,
        side TEXT NOT NULL CHECK (side IN ('LONG', 'SHORT')),
        confidence DOUBLE PRECISION,
        signal_time_ms BIGINT NOT NULL,
        source TEXT NOT NULL,
        feature_hash TEXT,
        approved BOOLEAN NOT NULL,
        reasons_json TEXT NOT NULL,
        quantity_raw BIGINT,
        leverage BIGINT,
        time_ms BIGINT NOT NULL,
        FOREIGN KEY (run_id, bot_id) REFERENCES runs(id, bot_id)
    );
    CREATE INDEX decisions_by_run ON decisions(run_id, id);
    \(owned("decisions"))

    CREATE TABLE alerts (
        id BIGSERIAL PRIMARY KEY,
        run_id BIGINT,
        \(bot),
        severity TEXT NOT NULL CHECK (severity IN ('INFO', 'WARNING', 'CRITICAL')),
        kind TEXT NOT NULL,
        message TEXT NOT NULL,
        symbol TEXT,
        time_ms BIGINT NOT NULL,
        FOREIGN KEY (run_id, bot_id) REFERENCES runs(id, bot_id)
    );
    \(owned("alerts"))

    CREATE TABLE equity_snapshots (
        id BIGSERIAL PRIMARY KEY,
        run_id BIGINT NOT NULL,
        \(bot),
        time_ms BIGINT NOT NULL,
        equity_raw BIGINT NOT NULL,
        wallet_balance_raw BIGINT NOT NULL,
        unrealized_pnl_raw BIGINT NOT NULL,
        drawdown_raw BIGINT NOT NULL,
        FOREIGN KEY (run_id, bot_id) REFERENCES runs(id, bot_id)
    );
    CREATE INDEX equity_by_run ON equity_snapshots(run_id, id);
    \(owned("equity_snapshots"))

    CREATE TABLE risk_events (
        id BIGSERIAL PRIMARY KEY,
        run_id BIGINT,
        \(bot),
        state TEXT NOT NULL,
        cause TEXT NOT NULL,
        detail TEXT NOT NULL,
        time_ms BIGINT NOT NULL,
        FOREIGN KEY (run_id, bot_id) REFERENCES runs(id, bot_id)
    );
    \(owned("risk_events"))
    """

    private static let version2 = """
    CREATE TABLE close_requests (
        id BIGSERIAL PRIMARY KEY,
        \(bot),
        symbol TEXT,
        requested_at_ms BIGINT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending', 'done', 'failed')),
        detail TEXT NOT NULL,
        resolved_at_ms BIGINT,
        resolved_by_run_id BIGINT,
        FOREIGN KEY (resolved_by_run_id, bot_id) REFERENCES runs(id, bot_id)
    );
    CREATE INDEX close_requests_by_state ON close_requests(bot_id, state, id);
    \(owned("close_requests"))
    """

    private static let version3 = """
    CREATE TABLE notifications (
        id BIGSERIAL PRIMARY KEY,
        run_id BIGINT,
        \(bot),
        channel TEXT NOT NULL,
        category TEXT NOT NULL CHECK (category IN ('alert', 'resolved', 'digest', 'heartbeat', 'lifecycle', 'test', 'reply')),
        rule TEXT NOT NULL,
        severity TEXT NOT NULL CHECK (severity IN ('INFO', 'WARNING', 'CRITICAL')),
        symbol TEXT,
        text TEXT NOT NULL,
        created_at_ms BIGINT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'failed', 'dropped')),
        attempts BIGINT NOT NULL CHECK (attempts >= 0),
        detail TEXT NOT NULL,
        finished_at_ms BIGINT,
        FOREIGN KEY (run_id, bot_id) REFERENCES runs(id, bot_id)
    );
    CREATE INDEX notifications_by_run ON notifications(bot_id, run_id, id);
    \(owned("notifications"))

    CREATE TABLE commands (
        id BIGSERIAL PRIMARY KEY,
        run_id BIGINT,
        \(bot),
        channel TEXT NOT NULL,
        update_id BIGINT NOT NULL,
        chat_id BIGINT NOT NULL,
        sender TEXT NOT NULL,
        text TEXT NOT NULL,
        authorized BOOLEAN NOT NULL,
        outcome TEXT NOT NULL,
        time_ms BIGINT NOT NULL,
        FOREIGN KEY (run_id, bot_id) REFERENCES runs(id, bot_id)
    );
    \(owned("commands"))
    """

    /// v4 (as SQLite's v4): no empty risk state or cause, and an account-level risk record (no
    /// run) is only a manual halt or resume. Existing rows that break it fail the migration,
    /// which names the constraint; a person corrects them.
    private static let version4 = """
    ALTER TABLE risk_events ADD CONSTRAINT risk_events_state_named CHECK (state <> '');
    ALTER TABLE risk_events ADD CONSTRAINT risk_events_cause_named CHECK (cause <> '');
    ALTER TABLE risk_events ADD CONSTRAINT risk_events_account_level_is_manual
        CHECK (run_id IS NOT NULL OR (cause = 'manual' AND state IN ('halted', 'resumed')))
    """

    /// v5 (as SQLite's v5): what each closed trade's exit did — the stop planned at entry, the
    /// most favourable price while open and the take-profit levels that filled (`"1,2"`; empty:
    /// none hit). NULL for trades recorded before v5 (unknown, never zero).
    private static let version5 = """
    ALTER TABLE trades ADD COLUMN planned_stop_raw BIGINT;
    ALTER TABLE trades ADD COLUMN best_price_raw BIGINT;
    ALTER TABLE trades ADD COLUMN targets_hit TEXT
    """
}
