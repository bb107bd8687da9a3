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
}
