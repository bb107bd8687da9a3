import Foundation
import PostgresNIO
import TradingEngine
import TradingModel

/// `TradeStore` on a PostgreSQL server (postgres-nio), for production and for several bots
/// sharing one database: this store reads and writes only the rows of its bot (`bot_id` in
/// every query, and row-level security on every table, see `PostgresSchema`).
///
/// Every call is one transaction (calls are serialised by a lock, as GRDB's queue serialises
/// SQLite's): it commits completely or rolls back and throws, so nothing is half-written. The
/// port is synchronous, so each call blocks its thread until the server answers, at most the
/// answer timeout per statement.
///
/// The server's bad days: a connection lost before the commit was sent means the server rolled
/// the transaction back, so the call is run once more on a new connection; lost again, or no
/// answer in time, the call throws `TradeStoreError.database` (nothing written) and the next call
/// reconnects. Lost while committing, the outcome is unknown and the call throws
/// `TradeStoreError.commitOutcomeUnknown`. Opening refuses a database whose migrations are behind
/// (`qt store migrate`) or ahead of this build. Nothing is logged: neither queries nor the URL,
/// which holds the password.
public final class PostgresTradeStore: TradeStore {
    public let settings: PostgresStoreSettings
    private let session: PostgresSession
    private let serial = NSLock()

    /// Connects; with `migrate`, applies missing migrations first (`qt store migrate`), else
    /// refuses a database that is not exactly at this build's schema.
    /// `durability`: `.full` (trading) waits for every commit to be flushed on the server;
    /// `.relaxed` (backtests) does not (see `StoreDurability`).
    public init(settings: PostgresStoreSettings, migrate: Bool = false, durability: StoreDurability = .full) throws {
        self.settings = settings
        session = try PostgresSession(settings: settings, durability: durability)
        do {
            if migrate { try applyMigrations() }
            let applied = try appliedMigrations()
            if applied.count > PostgresSchema.versions.count || applied != Array(PostgresSchema.versions.prefix(applied.count)) {
                throw PostgresStoreError.newerSchema(applied: applied, known: PostgresSchema.versions)
            }
            if applied != PostgresSchema.versions {
                throw PostgresStoreError.migrationNeeded(applied: applied, known: PostgresSchema.versions)
            }
        } catch {
            session.drop()
            if case TradeStoreError.database(let detail) = error {
                throw TradeStoreError.database("cannot open the store at \(settings): \(detail)")
            }
            throw error
        }
    }

    deinit { session.drop() }

    /// The schema version this build writes.
    public static var schemaVersion: String { PostgresSchema.versions.last! }

    /// Connections opened so far (1 until a connection is lost and replaced).
    public var connectionsOpened: Int { serial.withLock { session.connectionsOpened } }

    /// Versions recorded in `qt_migrations`, in order (empty for a new database).
    public func appliedMigrations() throws -> [String] {
        try transaction {
            let exists = try execute("SELECT to_regclass(\(settings.schema + ".qt_migrations"))::text AS name")
            let table = try exists.first.flatMap { try $0.makeRandomAccess()["name"].decode(String?.self, context: .default) }
            guard table != nil else { return [] }
            let rows = try execute(PostgresQuery(unsafeSQL: "SELECT version FROM \(settings.schema).qt_migrations ORDER BY version"))
            return try rows.map { try $0.makeRandomAccess()["version"].decode(String.self, context: .default) }
        }
    }

    /// Applies the missing migrations, each in its transaction, holding an advisory lock so
    /// two bots starting together do not both migrate. Returns the versions applied now.
    @discardableResult
    public func applyMigrations() throws -> [String] {
        // Under the lock too: two sessions running `CREATE SCHEMA IF NOT EXISTS` at once can both
        // see no schema and one then fails on the catalogue's unique index.
        try transaction {
            try execute("SELECT pg_advisory_xact_lock(724300020)")
            try execute(PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \(settings.schema)"))
        }
        var appliedNow: [String] = []
        for version in PostgresSchema.versions {
            let applied = try transaction {
                try execute("SELECT pg_advisory_xact_lock(724300020)")
                try execute("CREATE TABLE IF NOT EXISTS qt_migrations (version TEXT PRIMARY KEY, applied_at_ms BIGINT NOT NULL)")
                let done = try execute("SELECT 1 FROM qt_migrations WHERE version = \(version)")
                guard done.rows.isEmpty else { return false }
                for statement in Self.statements(PostgresSchema.migration(version)) {
                    try execute(PostgresQuery(unsafeSQL: statement))
                }
                try execute("INSERT INTO qt_migrations (version, applied_at_ms) VALUES (\(version), (extract(epoch FROM clock_timestamp()) * 1000)::bigint)")
                return true
            }
            if applied { appliedNow.append(version) }
        }
        return appliedNow
    }

    /// The statements of a migration script (no `;` appears inside its literals).
    static func statements(_ script: String) -> [String] {
        script.split(separator: ";").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }

    // MARK: - Transactions

    /// Runs `body` in one transaction; any error rolls it back and becomes a `TradeStoreError`.
    /// A connection lost before the commit is retried once on a new connection (the server
    /// rolled the first attempt back), so `body` must only run statements.
    func transaction<T>(_ body: () throws -> T) throws -> T {
        serial.lock()
        defer { serial.unlock() }
        var attempt = 1
        while true {
            var committing = false
            do {
                try execute("BEGIN")
                let value = try body()
                committing = true
                try execute("COMMIT")
                return value
            } catch let failure as PostgresFailure where failure.losesConnection {
                session.drop()
                if committing { throw TradeStoreError.commitOutcomeUnknown(failure.message) }
                if case .lost = failure, attempt == 1 {
                    attempt += 1
                    continue
                }
                throw TradeStoreError.database("\(failure.message); nothing was written")
            } catch {
                if (try? session.query("ROLLBACK")) == nil { session.drop() }
                if let error = error as? TradeStoreError { throw error }
                if let error = error as? PostgresFailure { throw TradeStoreError.database(error.message) }
                throw TradeStoreError.database(String(describing: error))
            }
        }
    }

    /// One statement outside a transaction (DDL, administration), serialised with the calls.
    @discardableResult
    func statement(_ query: PostgresQuery) throws -> PostgresQueryResult {
        serial.lock()
        defer { serial.unlock() }
        do { return try session.query(query) } catch { throw TradeStoreError.database(error.message) }
    }

    /// One statement inside `transaction` (the lock is held); throws `PostgresFailure`.
    @discardableResult
    func execute(_ query: PostgresQuery) throws -> PostgresQueryResult {
        try session.query(query)
    }

    func requireRun(_ id: Int64) throws {
        let found = try execute("SELECT 1 FROM runs WHERE id = \(id) AND bot_id = \(settings.bot)")
        guard !found.rows.isEmpty else { throw TradeStoreError.unknownRun(id) }
    }
}
