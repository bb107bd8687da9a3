import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO
import TradingEngine
import TradingModel

/// `TradeStore` on a PostgreSQL server (postgres-nio), for production and for several bots
/// sharing one database: this store reads and writes only the rows of its bot (`bot_id` in
/// every query, and row-level security on every table, see `PostgresSchema`).
///
/// Every call is one transaction on one connection (calls are serialised by a lock, as GRDB's
/// queue serialises SQLite's): it commits completely or rolls back and throws, so nothing is
/// half-written. The port is synchronous, so each call blocks its thread until the server
/// answers (as SQLite blocks on the disk). Opening refuses a database whose migrations are
/// behind (`qt store migrate`) or ahead of this build. Nothing is logged: neither queries nor
/// the URL, which holds the password.
public final class PostgresTradeStore: TradeStore {
    public let settings: PostgresStoreSettings
    let connection: PostgresConnection
    private let serial = NSLock()
    let logger = Logger(label: "qt.postgres-store", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Connects; with `migrate`, applies missing migrations first (`qt store migrate`), else
    /// refuses a database that is not exactly at this build's schema.
    public init(settings: PostgresStoreSettings, migrate: Bool = false) throws {
        self.settings = settings
        var tls = PostgresConnection.Configuration.TLS.disable
        if settings.sslMode != "disable" {
            var configuration = TLSConfiguration.makeClientConfiguration()
            if settings.sslMode == "require" { configuration.certificateVerification = .none }
            do { tls = .require(try NIOSSLContext(configuration: configuration)) } catch {
                throw PostgresStoreError.configuration("TLS: \(error)")
            }
        }
        let configuration = PostgresConnection.Configuration(host: settings.host, port: settings.port, username: settings.user,
                                                             password: settings.password, database: settings.database, tls: tls)
        do {
            connection = try PostgresConnection.connect(on: MultiThreadedEventLoopGroup.singleton.next(), configuration: configuration,
                                                        id: 1, logger: logger).wait()
        } catch {
            throw TradeStoreError.database("cannot connect to \(settings): \(Self.message(error))")
        }
        do {
            _ = try execute("SELECT set_config('qt.bot_id', \(settings.bot), false)")
            if migrate { try applyMigrations() }
            try execute(PostgresQuery(unsafeSQL: "SET search_path TO \(settings.schema)"))
            let applied = try appliedMigrations()
            if applied.count > PostgresSchema.versions.count || applied != Array(PostgresSchema.versions.prefix(applied.count)) {
                throw PostgresStoreError.newerSchema(applied: applied, known: PostgresSchema.versions)
            }
            if applied != PostgresSchema.versions {
                throw PostgresStoreError.migrationNeeded(applied: applied, known: PostgresSchema.versions)
            }
        } catch {
            try? connection.close().wait()
            throw error
        }
    }

    deinit { try? connection.close().wait() }

    /// Versions recorded in `qt_migrations`, in order (empty for a new database).
    public func appliedMigrations() throws -> [String] {
        let exists = try execute("SELECT to_regclass(\(settings.schema + ".qt_migrations"))::text AS name")
        guard try exists.first.map({ try $0.makeRandomAccess()["name"].decode(String?.self, context: .default) }) != nil else { return [] }
        let rows = try execute(PostgresQuery(unsafeSQL: "SELECT version FROM \(settings.schema).qt_migrations ORDER BY version"))
        return try rows.map { try $0.makeRandomAccess()["version"].decode(String.self, context: .default) }
    }

    /// Applies the missing migrations, each in its transaction, holding an advisory lock so
    /// two bots starting together do not both migrate. Returns the versions applied now.
    @discardableResult
    public func applyMigrations() throws -> [String] {
        try execute(PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \(settings.schema)"))
        try execute(PostgresQuery(unsafeSQL: "SET search_path TO \(settings.schema)"))
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
    func transaction<T>(_ body: () throws -> T) throws -> T {
        serial.lock()
        defer { serial.unlock() }
        do {
            try execute("BEGIN")
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            _ = try? execute("ROLLBACK")
            if let error = error as? TradeStoreError { throw error }
            throw TradeStoreError.database(Self.message(error))
        }
    }

    @discardableResult
    func execute(_ query: PostgresQuery) throws -> PostgresQueryResult {
        do { return try connection.query(query, logger: logger).wait() } catch {
            throw TradeStoreError.database(Self.message(error))
        }
    }

    func requireRun(_ id: Int64) throws {
        let found = try execute("SELECT 1 FROM runs WHERE id = \(id) AND bot_id = \(settings.bot)")
        guard !found.rows.isEmpty else { throw TradeStoreError.unknownRun(id) }
    }

    /// The server's message (postgres-nio's own description hides it on purpose).
    static func message(_ error: any Error) -> String {
        if let error = error as? TradeStoreError { return error.description }
        if let error = error as? PSQLError {
            if let server = error.serverInfo, let message = server[.message] {
                return "\(server[.sqlState].map { "\($0): " } ?? "")\(message)"
            }
            return "\(error.code)"
        }
        return String(describing: error)
    }
}
