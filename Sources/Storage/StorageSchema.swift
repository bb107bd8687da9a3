import GRDB
import TradingEngine
import TradingModel

/// Versioned schema of the SQLite store. Migrations are append-only: never edit a shipped one,
/// add `v2`, `v3`, … GRDB records applied migrations in `grdb_migrations`.
///
/// Conventions: fixed-point values are `INTEGER` raw units (10⁻⁸, column suffix `_raw`);
/// instants are `INTEGER` UTC milliseconds (suffix `_ms`); enums are their raw text with a
/// `CHECK`. Tables are `STRICT`, so a wrong type cannot be stored. No secrets are stored:
/// API keys and tokens stay in the environment and have no column here.
enum StorageSchema {
    /// Names of all migrations, in order; the last is the current schema version.
    static let versions = ["v1", "v2", "v3", "v4", "v5", "v6"]

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in try createVersion1(db) }
        migrator.registerMigration("v2") { db in try createVersion2(db) }
        migrator.registerMigration("v3") { db in try createVersion3(db) }
        migrator.registerMigration("v4") { db in try createVersion4(db) }
        migrator.registerMigration("v5") { db in try createVersion5(db) }
        migrator.registerMigration("v6") { db in try createVersion6(db) }
        return migrator
    }

    /// Throws (one line) when `database` cannot be migrated to the current version without
    /// losing meaning: a store holding account-level risk records that v4's constraint would
    /// reject (they count as an unknown manual risk state, which only a person can resolve).
    /// Only reads: called before anything is written to the file.
    static func checkUpgradable(_ database: DatabaseQueue) throws {
        let migrator = migrator
        if try database.read({ try !migrator.hasCompletedMigrations($0) }) {
            try database.read { db in
                guard try !migrator.appliedIdentifiers(db).contains("v4"), try db.tableExists("risk_events") else { return }
                let rows = try Row.fetchAll(db, sql: "SELECT id, state, cause FROM risk_events WHERE \(invalidManualRecord) ORDER BY id LIMIT 3")
                guard !rows.isEmpty else { return }
                let shown = rows.map { row -> String in
                    let state = DisplayText.escaped((row["state"] as String?) ?? "NULL", limit: 30)
                    let cause = DisplayText.escaped((row["cause"] as String?) ?? "NULL", limit: 30)
                    return "id \(row["id"] as Int64? ?? 0) (state '\(state)', cause '\(cause)')"
                }
                throw TradeStoreError.database("cannot upgrade to schema v4: risk_events has account-level records that are not a known "
                                               + "manual halt or resume: \(shown.joined(separator: ", ")); the store counts as HALTED until "
                                               + "a person removes or corrects them")
            }
        }
    }

    /// SQL condition of a `risk_events` row v4 forbids: no run id (an account-level record,
    /// written only by `qt risk halt|resume`) but not cause `manual` with state `halted`/`resumed`.
    static let invalidManualRecord = "run_id IS NULL AND NOT (cause IS 'manual' AND state IN ('halted', 'resumed'))"

    private static func createVersion1(_ db: Database) throws {
        try db.execute(sql: """
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL CHECK (kind IN ('backtest', 'paper', 'live')),
            started_at_ms INTEGER NOT NULL,
            finished_at_ms INTEGER,
            config_hash TEXT NOT NULL,
            detail TEXT NOT NULL,
            summary_json TEXT
        ) STRICT;

        -- Latest state of each order; its full history is order_events.
        CREATE TABLE orders (
            run_id INTEGER NOT NULL REFERENCES runs(id),
            client_order_id TEXT NOT NULL,
            symbol TEXT NOT NULL,
            side TEXT NOT NULL CHECK (side IN ('BUY', 'SELL')),
            type TEXT NOT NULL,
            quantity_raw INTEGER,
            price_raw INTEGER,
            trigger_price_raw INTEGER,
            reduce_only INTEGER NOT NULL CHECK (reduce_only IN (0, 1)),
            close_position INTEGER NOT NULL CHECK (close_position IN (0, 1)),
            status TEXT NOT NULL,
            first_seen_ms INTEGER NOT NULL,
            updated_at_ms INTEGER NOT NULL,
            PRIMARY KEY (run_id, client_order_id)
        ) STRICT;

        CREATE TABLE order_events (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            run_id INTEGER NOT NULL,
            client_order_id TEXT NOT NULL,
            symbol TEXT NOT NULL,
            side TEXT NOT NULL CHECK (side IN ('BUY', 'SELL')),
            type TEXT NOT NULL,
            quantity_raw INTEGER,
            price_raw INTEGER,
            trigger_price_raw INTEGER,
            reduce_only INTEGER NOT NULL CHECK (reduce_only IN (0, 1)),
            close_position INTEGER NOT NULL CHECK (close_position IN (0, 1)),
            status TEXT NOT NULL,
            detail TEXT NOT NULL,
            time_ms INTEGER NOT NULL,
            FOREIGN KEY (run_id, client_order_id) REFERENCES orders(run_id, client_order_id)
        ) STRICT;
        CREATE INDEX order_events_by_order ON order_events(client_order_id, id);

        CREATE TABLE fills (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            run_id INTEGER NOT NULL REFERENCES runs(id),
            client_order_id TEXT NOT NULL,
            symbol TEXT NOT NULL,
            side TEXT NOT NULL CHECK (side IN ('BUY', 'SELL')),
            price_raw INTEGER NOT NULL,
            quantity_raw INTEGER NOT NULL,
            fee_raw INTEGER NOT NULL,
            liquidity TEXT NOT NULL CHECK (liquidity IN ('MAKER', 'TAKER')),
            time_ms INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX fills_by_run ON fills(run_id, id);

        CREATE TABLE trades (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            run_id INTEGER NOT NULL REFERENCES runs(id),
            symbol TEXT NOT NULL,
            side TEXT NOT NULL CHECK (side IN ('LONG', 'SHORT')),
            quantity_raw INTEGER NOT NULL,
            entry_time_ms INTEGER NOT NULL,
            entry_price_raw INTEGER NOT NULL,
            exit_time_ms INTEGER NOT NULL,
            exit_price_raw INTEGER NOT NULL,
            exit_reason TEXT NOT NULL,
            fees_raw INTEGER NOT NULL,
            funding_raw INTEGER NOT NULL,
            net_pnl_raw INTEGER NOT NULL,
            leverage INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX trades_by_run ON trades(run_id, id);

        CREATE TABLE exit_states (
            run_id INTEGER NOT NULL REFERENCES runs(id),
            position_key TEXT NOT NULL,
            symbol TEXT NOT NULL,
            executor TEXT NOT NULL,
            state_json TEXT NOT NULL,
            last_price_event_at_ms INTEGER,
            updated_at_ms INTEGER NOT NULL,
            PRIMARY KEY (run_id, position_key)
        ) STRICT;

        CREATE TABLE decisions (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            run_id INTEGER NOT NULL REFERENCES runs(id),
            symbol TEXT NOT NULL,
            side TEXT NOT NULL CHECK (side IN ('LONG', 'SHORT')),
            confidence REAL,
            signal_time_ms INTEGER NOT NULL,
            source TEXT NOT NULL,
            feature_hash TEXT,
            approved INTEGER NOT NULL CHECK (approved IN (0, 1)),
            reasons_json TEXT NOT NULL,
            quantity_raw INTEGER,
            leverage INTEGER,
            time_ms INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX decisions_by_run ON decisions(run_id, id);

        CREATE TABLE alerts (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            run_id INTEGER REFERENCES runs(id),
            severity TEXT NOT NULL CHECK (severity IN ('INFO', 'WARNING', 'CRITICAL')),
            kind TEXT NOT NULL,
            message TEXT NOT NULL,
            symbol TEXT,
            time_ms INTEGER NOT NULL
        ) STRICT;

        CREATE TABLE equity_snapshots (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            run_id INTEGER NOT NULL REFERENCES runs(id),
            time_ms INTEGER NOT NULL,
            equity_raw INTEGER NOT NULL,
            wallet_balance_raw INTEGER NOT NULL,
            unrealized_pnl_raw INTEGER NOT NULL,
            drawdown_raw INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX equity_by_run ON equity_snapshots(run_id, id);

        CREATE TABLE risk_events (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            run_id INTEGER REFERENCES runs(id),
            state TEXT NOT NULL,
            cause TEXT NOT NULL,
            detail TEXT NOT NULL,
            time_ms INTEGER NOT NULL
        ) STRICT;
        """)
    }

    /// v2: manual close requests between processes (`qt close` writes, the live runtime resolves).
    private static func createVersion2(_ db: Database) throws {
        try db.execute(sql: """
        CREATE TABLE close_requests (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            symbol TEXT,  -- NULL: every open position
            requested_at_ms INTEGER NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('pending', 'done', 'failed')),
            detail TEXT NOT NULL,
            resolved_at_ms INTEGER,
            resolved_by_run_id INTEGER REFERENCES runs(id)
        ) STRICT;
        CREATE INDEX close_requests_by_state ON close_requests(state, id);
        """)
    }

    /// v3: the alert history (every message to a person per notifier channel, with its delivery
    /// result) and the commands people sent from the phone (authorised or not, with the outcome).
    private static func createVersion3(_ db: Database) throws {
        try db.execute(sql: """
        CREATE TABLE notifications (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            run_id INTEGER REFERENCES runs(id),
            channel TEXT NOT NULL,
            category TEXT NOT NULL CHECK (category IN ('alert', 'resolved', 'digest', 'heartbeat', 'lifecycle', 'test', 'reply')),
            rule TEXT NOT NULL,
            severity TEXT NOT NULL CHECK (severity IN ('INFO', 'WARNING', 'CRITICAL')),
            symbol TEXT,
            text TEXT NOT NULL,
            created_at_ms INTEGER NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'failed', 'dropped')),
            attempts INTEGER NOT NULL CHECK (attempts >= 0),
            detail TEXT NOT NULL,
            finished_at_ms INTEGER
        ) STRICT;
        CREATE INDEX notifications_by_run ON notifications(run_id, id);

        CREATE TABLE commands (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            run_id INTEGER REFERENCES runs(id),
            channel TEXT NOT NULL,
            update_id INTEGER NOT NULL,
            chat_id INTEGER NOT NULL,
            sender TEXT NOT NULL,
            text TEXT NOT NULL,
            authorized INTEGER NOT NULL CHECK (authorized IN (0, 1)),
            outcome TEXT NOT NULL,
            time_ms INTEGER NOT NULL
        ) STRICT;
        """)
    }

    /// v4: `risk_events` gets CHECK constraints: an account-level record (no run id) is a manual
    /// halt or resume and nothing else; state and cause are never empty. SQLite cannot add a
    /// CHECK to a table, so the table is rebuilt with its rows and ids.
    private static func createVersion4(_ db: Database) throws {
        try db.execute(sql: """
        CREATE TABLE risk_events_v4 (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            run_id INTEGER REFERENCES runs(id),
            state TEXT NOT NULL CHECK (state <> ''),
            cause TEXT NOT NULL CHECK (cause <> ''),
            detail TEXT NOT NULL,
            time_ms INTEGER NOT NULL,
            CHECK (run_id IS NOT NULL OR (cause = 'manual' AND state IN ('halted', 'resumed')))
        ) STRICT;
        INSERT INTO risk_events_v4 (id, run_id, state, cause, detail, time_ms)
            SELECT id, run_id, state, cause, detail, time_ms FROM risk_events ORDER BY id;
        DROP TABLE risk_events;
        ALTER TABLE risk_events_v4 RENAME TO risk_events;
        """)
    }
}
