import Foundation
import TradingModel
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

    /// Opens an existing SQLite store to change it (`qt risk halt|resume`). A missing file is an
    /// error: a mistyped path must not create an empty store that reports "no halt"; a file that
    /// is not a qt store (empty, another program's database) is refused and left untouched.
    public static func openExisting(sqlitePath path: String) throws -> any TradeStore {
        guard FileManager.default.fileExists(atPath: path) else {
            throw BacktestRunError("--db \(DisplayText.escaped(path)): no such store file (give the [storage] path of your runs)")
        }
        do { return try SQLiteTradeStore(path: path) } catch { throw dbError(path, error) }
    }

    /// Opens an existing SQLite store only to read it (`qt status`, `qt risk status`): nothing is
    /// created, migrated or written, and the file stays byte-identical; a missing path or a file
    /// that is not a qt store is an error.
    public static func openReadOnly(sqlitePath path: String) throws -> any TradeStore {
        guard FileManager.default.fileExists(atPath: path) else {
            throw BacktestRunError("--db \(DisplayText.escaped(path)): no such store file (give the [storage] path of your runs)")
        }
        do { return try SQLiteTradeStore(readOnlyPath: path) } catch { throw dbError(path, error) }
    }

    /// Opens the store `[storage]` names only to read it: a SQLite file read-only (see
    /// `openReadOnly(sqlitePath:)`); PostgreSQL as `openExisting` (this build's schema, nothing
    /// migrated; reading commands write nothing).
    public static func openReadOnly(_ settings: StorageSettings, secrets: StoreSecrets? = nil) throws -> any TradeStore {
        switch settings.backend {
        case .sqlite: try openReadOnly(sqlitePath: settings.path)
        case .postgres: try make(settings, secrets: secrets)
        }
    }

    /// `--db FILE: what is wrong`, one line (the store's messages already name the file).
    public static func dbError(_ path: String, _ error: any Error) -> BacktestRunError {
        let file = DisplayText.escaped(path)
        if case .database(let detail)? = error as? TradeStoreError, detail.hasPrefix(file + ": ") {
            return BacktestRunError("--db \(detail)")
        }
        return BacktestRunError("--db \(file): \(error)")
    }

    /// The store a backtest that is recorded nowhere (`qt backtest --no-store`) still consults
    /// for the manual halt: an existing store opened read-only (nothing created, migrated or
    /// written), nil when there is none yet.
    public static func backtestHaltSource(_ settings: StorageSettings) throws -> (any TradeStore)? {
        switch settings.backend {
        case .sqlite:
            guard FileManager.default.fileExists(atPath: settings.path) else { return nil }
            do { return try SQLiteTradeStore(readOnlyPath: settings.path) } catch { throw dbError(settings.path, error) }
        case .postgres:
            return try openReadOnly(settings)
        }
    }

    /// Where a backtest records its run: an existing store is opened now (its manual halt applies
    /// to the run); a missing one is created only when the run is recorded (`create`), so a
    /// backtest refused for its data or stopped early leaves no store behind.
    public static func backtestStore(_ settings: StorageSettings) throws
        -> (existing: (any TradeStore)?, create: @Sendable () throws -> any TradeStore) {
        let create: @Sendable () throws -> any TradeStore = { try make(settings, forBacktest: true) }
        switch settings.backend {
        case .sqlite:
            guard FileManager.default.fileExists(atPath: settings.path) else { return (nil, create) }
            return (try make(settings, forBacktest: true), create)
        case .postgres:
            // The server's database exists already (and must be migrated): open it now.
            let store = try make(settings, forBacktest: true)
            return (store, { store })
        }
    }
}
