import Foundation
import Storage
import TradingEngine

/// `qt store migrate` and `qt store copy`: administration of the configured store.
public enum StoreAdmin {
    /// Brings the configured store to this build's schema and returns one line per fact
    /// (versions applied now, the versions in place). SQLite migrates on every open; PostgreSQL
    /// only here, under an advisory lock (several bots may run it at once).
    public static func migrate(_ settings: StorageSettings, secrets: StoreSecrets? = nil) throws -> [String] {
        switch settings.backend {
        case .sqlite:
            let before = FileManager.default.fileExists(atPath: settings.path)
            let store = try SQLiteTradeStore(path: settings.path)
            return ["\(before ? "opened" : "created") \(settings.path): schema \(try store.appliedMigrations().joined(separator: ", "))"]
        case .postgres:
            let postgres = try TradeStoreFactory.postgresSettings(settings, secrets: secrets)
            let store = try PostgresTradeStore(settings: postgres, migrate: true)
            let applied = try store.appliedMigrations()
            return ["\(postgres): schema \(applied.joined(separator: ", ")) (this build: \(PostgresTradeStore.schemaVersion))"]
        }
    }

    /// Copies the SQLite store at `sqlitePath` into the configured PostgreSQL store (migrated
    /// first) as its `[storage] bot`; returns one line per table.
    public static func copy(sqlitePath: String, into settings: StorageSettings, secrets: StoreSecrets? = nil) throws -> [String] {
        guard settings.backend == .postgres else {
            throw BacktestRunError("qt store copy moves a SQLite store into PostgreSQL: the configuration must say [storage] backend = \"postgres\"")
        }
        guard FileManager.default.fileExists(atPath: sqlitePath) else {
            throw BacktestRunError("--from \(sqlitePath): no such store file")
        }
        let source = try SQLiteTradeStore(path: sqlitePath)
        let postgres = try TradeStoreFactory.postgresSettings(settings, secrets: secrets)
        let target = try PostgresTradeStore(settings: postgres, migrate: true)
        let report = try StoreCopy.copy(from: source, to: target)
        return ["copied \(sqlitePath) into \(postgres):"] + report.rows.map { "  \($0.table): \($0.count) rows" }
    }
}
