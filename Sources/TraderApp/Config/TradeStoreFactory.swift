import Storage
import TradingEngine

/// Builds the configured `TradeStore` (the composition root is the only place that knows
/// concrete storage types).
public enum TradeStoreFactory {
    /// Opens (creating and migrating if needed) the store named by `[storage]`.
    public static func make(_ settings: StorageSettings) throws -> any TradeStore {
        switch settings.backend {
        case .sqlite: try SQLiteTradeStore(path: settings.path)
        }
    }
}
