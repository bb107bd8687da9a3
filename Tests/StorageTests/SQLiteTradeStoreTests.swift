import Foundation
import GRDB
import Testing
import TradingEngine
import TradingModel
@testable import Storage

/// What only the SQLite store has: the file, its schema versions, reopening.
@Suite struct SQLiteTradeStoreTests {
    @Test func freshFileIsCreatedMigratedAndInWALMode() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/runs/nested/qt.sqlite"
        #expect(!FileManager.default.fileExists(atPath: path))

        let store = try SQLiteTradeStore(path: path)
        #expect(FileManager.default.fileExists(atPath: path))
        #expect(try store.appliedMigrations() == ["v1", "v2", "v3", "v4", "v5", "v6"])
        #expect(SQLiteTradeStore.schemaVersion == "v6")
        let (journal, tables) = try store.database.read { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode"),
             try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"))
        }
        #expect(journal == "wal")
        #expect(tables == ["alerts", "close_requests", "commands", "decisions", "equity_snapshots", "exit_states", "fills", "grdb_migrations",
                           "notifications", "order_events", "orders", "risk_events", "runs", "trades"])
    }

    /// Trading stores sync every commit (SQLite `synchronous` 2 = FULL); backtest stores are
    /// relaxed (1 = NORMAL), still one atomic transaction per write.
    @Test func durabilityChoosesTheSynchronousMode() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let full = try SQLiteTradeStore(path: directory.path + "/full.sqlite")
        let relaxed = try SQLiteTradeStore(path: directory.path + "/relaxed.sqlite", durability: .relaxed)
        #expect(try full.database.read { try Int.fetchOne($0, sql: "PRAGMA synchronous") } == 2)
        #expect(try relaxed.database.read { try Int.fetchOne($0, sql: "PRAGMA synchronous") } == 1)
        _ = try relaxed.beginRun(StoreFixtures.run())
        #expect(try relaxed.runs().count == 1)
    }

    @Test func reopeningAnExistingFileKeepsDataAndDoesNotRemigrate() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/qt.sqlite"
        do {
            let store = try SQLiteTradeStore(path: path)
            let run = try store.beginRun(StoreFixtures.run())
            try store.recordTrade(StoreFixtures.losingShort(runID: run))
            try store.saveExitState(StoreFixtures.exitState(runID: run, key: "ATOMUSDT#1", json: "{\"stop\":\"13.725\"}",
                                                            lastEvent: 5, at: 6))
        }
        let reopened = try SQLiteTradeStore(path: path)
        #expect(try reopened.appliedMigrations() == ["v1", "v2", "v3", "v4", "v5", "v6"])
        #expect(try reopened.runs().map(\.id) == [1])
        #expect(try reopened.trades(runID: 1) == [StoreFixtures.losingShort(runID: 1)])
        #expect(try reopened.exitStates(runID: 1).map(\.stateJSON) == ["{\"stop\":\"13.725\"}"])
    }

    /// A file written by a v1 build gains `close_requests` on open; its data stays.
    @Test func versionOneFileIsMigratedToVersionTwo() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/v1.sqlite"
        do {
            let queue = try DatabaseQueue(path: path)
            try StorageSchema.migrator.migrate(queue, upTo: "v1")
            try queue.write { db in
                try db.execute(sql: "INSERT INTO runs (kind, started_at_ms, config_hash, detail) VALUES ('live', 1, 'h', 'v1 run')")
            }
        }
        let store = try SQLiteTradeStore(path: path)
        #expect(try store.appliedMigrations() == ["v1", "v2", "v3", "v4", "v5", "v6"])
        #expect(try store.runs().map(\.detail) == ["v1 run"])
        let id = try store.recordCloseRequest(CloseRequestRecord(symbol: "ATOMUSDT", requestedAt: Timestamp(milliseconds: 2)))
        #expect(try store.pendingCloseRequests().map(\.id) == [id])
    }

    /// A file written by a v2 build gains the alert history and commands tables on open; its
    /// close requests stay.
    @Test func versionTwoFileIsMigratedToVersionThree() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/v2.sqlite"
        do {
            let queue = try DatabaseQueue(path: path)
            try StorageSchema.migrator.migrate(queue, upTo: "v2")
            try queue.write { db in
                try db.execute(sql: "INSERT INTO runs (kind, started_at_ms, config_hash, detail) VALUES ('live', 1, 'h', 'v2 run')")
                try db.execute(sql: "INSERT INTO close_requests (symbol, requested_at_ms, state, detail) VALUES ('ATOMUSDT', 2, 'pending', '')")
            }
        }
        let store = try SQLiteTradeStore(path: path)
        #expect(try store.appliedMigrations() == ["v1", "v2", "v3", "v4", "v5", "v6"])
        #expect(try store.pendingCloseRequests().map(\.symbol) == ["ATOMUSDT"])
        let id = try store.recordNotification(NotificationRecord(runID: 1, channel: "telegram", category: .lifecycle, rule: "lifecycle",
                                                                 severity: .info, symbol: nil, text: "started", createdAt: Timestamp(milliseconds: 3)))
        #expect(try store.notifications(runID: 1, limit: 5).map(\.id) == [id])
    }

    @Test func fixedPointIsStoredAsRawIntegers() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteTradeStore(path: directory.path + "/qt.sqlite")
        let run = try store.beginRun(StoreFixtures.run())
        try store.recordTrade(StoreFixtures.losingShort(runID: run))
        let row = try store.database.read { try Row.fetchOne($0, sql: "SELECT entry_price_raw, net_pnl_raw, typeof(net_pnl_raw) AS kind FROM trades")! }
        // 13.456 × 10^8 = 1_345_600_000; −3.52556125 × 10^8 = −352_556_125.
        #expect(row["entry_price_raw"] as Int64 == 1_345_600_000)
        #expect(row["net_pnl_raw"] as Int64 == -352_556_125)
        #expect(row["kind"] as String == "integer")
    }

    @Test func aFileWithANewerSchemaIsRefused() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/qt.sqlite"
        let store = try SQLiteTradeStore(path: path)
        try store.database.write { try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99')") }
        #expect {
            _ = try SQLiteTradeStore(path: path)
        } throws: { error in
            guard case .database(let detail)? = error as? TradeStoreError else { return false }
            return detail.contains("newer schema")
        }
    }

    @Test func anUnreadableStoredValueIsACorruptRecordNotACrash() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteTradeStore(path: directory.path + "/qt.sqlite")
        let run = try store.beginRun(StoreFixtures.run())
        try store.recordFill(StoreFixtures.fill(runID: run, quantity: "1", at: 1))
        try store.database.write { try $0.execute(sql: "UPDATE fills SET symbol = 'atom/usdt'") }
        #expect(throws: TradeStoreError.corruptRecord(table: "fills", column: "symbol", value: "atom/usdt")) {
            _ = try store.fills(runID: run)
        }
    }

    @Test func strictTablesRejectWrongTypes() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteTradeStore(path: directory.path + "/qt.sqlite")
        _ = try store.beginRun(StoreFixtures.run())
        #expect(throws: DatabaseError.self) {
            try store.database.write { try $0.execute(sql: "UPDATE runs SET started_at_ms = 'yesterday'") }
        }
    }
}
