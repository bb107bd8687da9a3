import Foundation
import Storage
import TradingEngine

/// Builds the configured `TradeStore` (the composition root is the only place that knows
/// concrete storage types).
public enum TradeStoreFactory {
    /// Opens the store named by `[storage]`. SQLite is created and migrated if needed; backtests
    /// open it with relaxed durability (see `StoreDurability`), trading keeps every commit
    /// synced. PostgreSQL needs `QT_POSTGRES_URL` (`secrets`) and a database at this build's
    /// schema: migrating a shared server is an explicit step (`qt store migrate`).
    public static func make(_ settings: StorageSettings, forBacktest: Bool = false,
                            secrets: StoreSecrets? = nil) throws -> any TradeStore {
        switch settings.backend {
        case .sqlite: try SQLiteTradeStore(path: settings.path, durability: forBacktest ? .relaxed : .full)
        case .postgres: try PostgresTradeStore(settings: postgresSettings(settings, secrets: secrets), durability: forBacktest ? .relaxed : .full)
        }
    }

    /// The PostgreSQL settings of `[storage]` with the URL from `secrets` (or, when nil, the
    /// process environment). Errors name the variable, never the URL.
    public static func postgresSettings(_ settings: StorageSettings, secrets: StoreSecrets? = nil) throws -> PostgresStoreSettings {
        let resolved = try secrets ?? StoreSecrets.load(environment: ProcessInfo.processInfo.environment)
        guard let url = resolved.postgresURL else {
            throw BacktestRunError("[storage] backend = \"postgres\" needs \(StoreSecrets.urlName) (postgres://USER:PASSWORD@HOST:PORT/DATABASE) in the environment or the key file")
        }
        do {
            return try PostgresStoreSettings(url: url, bot: settings.bot, answerTimeout: settings.answerTimeout)
        } catch {
            throw BacktestRunError("\(StoreSecrets.urlName): \(error)")
        }
    }

    /// Opens the existing store `[storage]` names: a SQLite file that must exist, or a
    /// PostgreSQL database that must be at this build's schema.
    public static func openExisting(_ settings: StorageSettings, secrets: StoreSecrets? = nil) throws -> any TradeStore {
        switch settings.backend {
        case .sqlite: try openExisting(sqlitePath: settings.path)
        case .postgres: try make(settings, secrets: secrets)
        }
    }

    /// Opens an existing SQLite store (`qt risk`, `qt status --db FILE`). A missing file is an
    /// error: a mistyped path must not create an empty store that reports "no halt".
    public static func openExisting(sqlitePath path: String) throws -> any TradeStore {
        guard FileManager.default.fileExists(atPath: path) else {
            throw BacktestRunError("--db \(path): no such store file (give the [storage] path of your runs)")
        }
        return try SQLiteTradeStore(path: path)
    }
}
