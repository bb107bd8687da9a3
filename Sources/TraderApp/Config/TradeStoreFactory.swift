import Foundation
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

    /// Opens an existing SQLite store (`qt risk`, `qt status --db FILE`). A missing file is an
    /// error: a mistyped path must not create an empty store that reports "no halt".
    public static func openExisting(sqlitePath path: String) throws -> any TradeStore {
        guard FileManager.default.fileExists(atPath: path) else {
            throw BacktestRunError("--db \(path): no such store file (give the [storage] path of your runs)")
        }
        return try SQLiteTradeStore(path: path)
    }
}
