import Foundation
import GRDB
import TradingEngine
import TradingModel

/// The embedded `TradeStore`: one SQLite file (WAL journal), created with its schema on first
/// use and migrated forward on open (`StorageSchema`).
///
/// Every call is one transaction: it commits completely or, if any statement fails, rolls back
/// and throws, so nothing is half-written. `recordRun` writes a whole run (a backtest's
/// thousands of rows) in one transaction through reused prepared statements. Calls are serialised by GRDB's `DatabaseQueue`.
/// Records refer to an existing run; an unknown run id throws `TradeStoreError.unknownRun`.
/// Stores no secrets (no column for keys or tokens).
///
/// A path is checked before it is opened (`StoreFile`): another program's database, an empty or
/// non-SQLite file, a directory or a newer schema is refused and left untouched. A new store is
/// built under a temporary name and linked into place complete, so a crash never leaves a
/// half-created store at the path. Errors are one line naming the file.
public final class SQLiteTradeStore: TradeStore {
    /// The database file.
    public let path: String
    /// True for a store opened with `init(readOnlyPath:)`: every write throws.
    public let isReadOnly: Bool
    let database: DatabaseQueue

    /// Opens (creating if needed, with parent directories) and migrates the database at `path`.
    /// Throws when the file is not a qt store or its schema is newer than this build knows
    /// (fail closed: never write into a schema we do not understand).
    /// - Parameter durability: `.full` (the default, for paper and live trading) syncs every
    ///   commit to disk; `.relaxed` (for backtests, which can be re-run) keeps each commit atomic
    ///   and the file consistent after a crash, but may lose the last commits on power loss.
    public init(path: String, durability: StoreDurability = .full) throws {
        self.path = path
        isReadOnly = false
        do {
            if try StoreFile.inspect(path) == .missing { try Self.create(path: path) }
            database = try DatabaseQueue(path: path, configuration: Self.configuration(durability: durability))
            try StorageSchema.checkUpgradable(database)
            try database.writeWithoutTransaction { db in
                let mode = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
                guard mode?.lowercased() == "wal" else {
                    throw TradeStoreError.database("cannot enable WAL journal (got \(mode ?? "nil"))")
                }
            }
            try StorageSchema.migrator.migrate(database)
        } catch {
            throw Self.storeError(error, path: path)
        }
    }

    /// Opens an existing qt store for reading only (`qt status`, `qt risk status`): nothing is
    /// created, migrated or written, and the file stays byte-identical. A missing path, an empty
    /// file, another program's database or a newer schema is refused. An older store is read as
    /// it is (every column read exists since v1).
    public init(readOnlyPath path: String) throws {
        self.path = path
        isReadOnly = true
        do {
            guard case .store = try StoreFile.inspect(path) else {
                throw StoreFile.refusal(path, "no such qt store (give the [storage] path of your runs)")
            }
            var configuration = Self.configuration(durability: nil)
            configuration.readonly = true
            database = try DatabaseQueue(path: path, configuration: configuration)
        } catch {
            throw Self.storeError(error, path: path)
        }
    }

    /// The connection settings; `durability` nil for a read-only connection (no `synchronous`).
    private static func configuration(durability: StoreDurability?) -> GRDB.Configuration {
        var configuration = GRDB.Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(5)
        configuration.label = "qt.trade-store"
        if let synchronous = durability?.sqliteSynchronous {
            configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = \(synchronous)") }
        }
        return configuration
    }

    /// Builds a new store at `path` whole: schema and WAL mode under a temporary name in the same
    /// directory, closed (checkpointed), then linked into place. `link` never replaces a file, so
    /// a store another process created meanwhile is kept (and opened by the caller).
    private static func create(path: String) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).creating-\(getpid())").path
        func removeTemporary() {
            for suffix in ["", "-wal", "-shm", "-journal"] { unlink(temporary + suffix) }
        }
        removeTemporary()
        do {
            let queue = try DatabaseQueue(path: temporary, configuration: configuration(durability: .full))
            try queue.writeWithoutTransaction { db in _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") }
            try StorageSchema.migrator.migrate(queue)
            try queue.close()
        } catch {
            removeTemporary()
            throw error
        }
        defer { removeTemporary() }
        if link(temporary, path) != 0 && errno != EEXIST {
            throw TradeStoreError.database("cannot create the store: \(String(cString: strerror(errno)))")
        }
    }

    /// Migrations applied to the file, in order (`["v1"]`).
    public func appliedMigrations() throws -> [String] {
        try read { db in try StorageSchema.migrator.appliedMigrations(db) }
    }

    /// The schema version this build writes.
    public static var schemaVersion: String { StorageSchema.versions.last! }

    // MARK: - Runs

    public func beginRun(_ run: RunRecord) throws -> Int64 {
        try write { db in
            try db.execute(sql: RecordSQL.beginRun, arguments: RecordSQL.beginRun(run))
            return db.lastInsertedRowID
        }
    }

    public func finishRun(id: Int64, finishedAt: Timestamp, summaryJSON: String) throws {
        try write { db in
            try Self.requireRun(id, db)
            try db.execute(sql: RecordSQL.finishRun, arguments: [finishedAt.milliseconds, summaryJSON, id])
        }
    }

    public func runs() throws -> [RunRecord] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM runs ORDER BY id").map { row in
                RunRecord(id: try row.int64("id", "runs"), kind: try row.enumValue("kind", "runs"),
                          startedAt: try row.timestamp("started_at_ms", "runs"),
                          finishedAt: try row.optionalTimestamp("finished_at_ms", "runs"),
                          configHash: try row.text("config_hash", "runs"), detail: try row.text("detail", "runs"),
                          summaryJSON: try row.optionalText("summary_json", "runs"))
            }
        }
    }

    // MARK: - Orders

    public func recordOrder(_ event: OrderEventRecord) throws {
        try write { db in
            try Self.requireRun(event.runID, db)
            try db.cachedStatement(sql: RecordSQL.orderUpsert).execute(arguments: RecordSQL.orderUpsert(event, runID: event.runID))
            try db.cachedStatement(sql: RecordSQL.orderEvent).execute(arguments: RecordSQL.orderEvent(event, runID: event.runID))
        }
    }

    public func orderHistory(_ id: ClientOrderID) throws -> [OrderEventRecord] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM order_events WHERE client_order_id = ? ORDER BY id",
                             arguments: [id.value]).map(Self.orderEvent)
        }
    }

    public func latestOrderEvents(runID: Int64) throws -> [OrderEventRecord] {
        try read { db in
            // The `orders` table holds each order's latest state (keyed by run: no scan of the history).
            try Row.fetchAll(db, sql: """
                SELECT run_id, client_order_id, symbol, side, type, quantity_raw, price_raw, trigger_price_raw, reduce_only,
                    close_position, status, '' AS detail, updated_at_ms AS time_ms
                FROM orders WHERE run_id = ? ORDER BY updated_at_ms, client_order_id
                """, arguments: [runID]).map(Self.orderEvent)
        }
    }

    private static func orderEvent(_ row: Row) throws -> OrderEventRecord {
        let table = "order_events"
        let request = OrderRequest(
            clientOrderID: try row.clientOrderID("client_order_id", table), symbol: try row.symbol("symbol", table),
            side: try row.enumValue("side", table), type: try row.enumValue("type", table),
            quantity: try row.optionalFixed("quantity_raw", table), price: try row.optionalFixed("price_raw", table),
            triggerPrice: try row.optionalFixed("trigger_price_raw", table),
            reduceOnly: try row.bool("reduce_only", table), closePosition: try row.bool("close_position", table))
        return OrderEventRecord(runID: try row.int64("run_id", table), request: request,
                                status: try row.text("status", table), detail: try row.text("detail", table),
                                time: try row.timestamp("time_ms", table))
    }

    // MARK: - Transactions

    /// One write transaction; any error rolls it back and is mapped to `TradeStoreError`.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try database.write(body) } catch { throw storeError(error) }
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try database.read(body) } catch { throw storeError(error) }
    }

    static func requireRun(_ id: Int64, _ db: Database) throws {
        guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM runs WHERE id = ?)", arguments: [id]) == true else {
            throw TradeStoreError.unknownRun(id)
        }
    }

    /// One-line store errors that name the file (SQLite's message, never the statement's SQL).
    func storeError(_ error: any Error) -> TradeStoreError { Self.storeError(error, path: path) }

    static func storeError(_ error: any Error, path: String) -> TradeStoreError {
        let prefix = DisplayText.escaped(path) + ": "
        switch error {
        case let error as TradeStoreError:
            if case .database(let detail) = error, !detail.hasPrefix(prefix) { return .database(prefix + detail) }
            return error
        case let error as DatabaseError:
            return .database(prefix + oneLine(error))
        default:
            return .database(prefix + DisplayText.escaped(String(describing: error), limit: 200))
        }
    }

    /// `SQLite error 11: database disk image is malformed`: code and message on one line.
    static func oneLine(_ error: DatabaseError) -> String {
        "SQLite error \(error.extendedResultCode.rawValue): \(DisplayText.escaped(error.message ?? "\(error.resultCode)", limit: 200))"
    }
}
