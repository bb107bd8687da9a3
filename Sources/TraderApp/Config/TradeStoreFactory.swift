import Foundation
import TradingModel
import Storage
import TradingEngine

/// Builds the configured `TradeStore` (the composition root is the only place that knows
/// concrete storage types).
public enum TradeStoreFactory {
    /// Opens (creating and migrating if needed) the store named by `[storage]`. Backtests open it
    /// with relaxed durability (see `StoreDurability`); trading keeps every commit synced.
    public static func make(_ settings: StorageSettings, forBacktest: Bool = false) throws -> any TradeStore {
        switch settings.backend {
        case .sqlite: try SQLiteTradeStore(path: settings.path, durability: forBacktest ? .relaxed : .full)
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

    /// `--db FILE: what is wrong`, one line (the store's messages already name the file).
    public static func dbError(_ path: String, _ error: any Error) -> BacktestRunError {
        let file = DisplayText.escaped(path)
        if case .database(let detail)? = error as? TradeStoreError, detail.hasPrefix(file + ": ") {
            return BacktestRunError("--db \(detail)")
        }
        return BacktestRunError("--db \(file): \(error)")
    }

    /// Where a backtest records its run: an existing store is opened now (its manual halt applies
    /// to the run); a missing one is created only when the run is recorded (`create`), so a
    /// backtest refused for its data or stopped early leaves no store behind.
    public static func backtestStore(_ settings: StorageSettings) throws -> (existing: (any TradeStore)?, create: () throws -> any TradeStore) {
        let create: () throws -> any TradeStore = { try make(settings, forBacktest: true) }
        switch settings.backend {
        case .sqlite:
            guard FileManager.default.fileExists(atPath: settings.path) else { return (nil, create) }
            return (try make(settings, forBacktest: true), create)
        }
    }
}
