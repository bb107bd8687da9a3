import GRDB
import TradingEngine
import TradingModel

/// The v5 exit-detail columns of `trades`. A store opened read-only is not migrated, so an older
/// file has no such columns: its trades read back with the details unknown (nil).
/// `targets_hit` holds take-profit levels as `"1,2"` (empty text: none hit, NULL: not recorded).
extension SQLiteTradeStore {
    static func exitDetail<T: FixedPointValue>(_ row: Row, _ column: String, _ table: String) throws -> T? {
        guard row.hasColumn(column) else { return nil }
        return try row.optionalFixed(column, table)
    }

    static func targetsText(_ levels: [Int]) -> String {
        levels.map(String.init).joined(separator: ",")
    }

    static func targets(_ row: Row, _ table: String) throws -> [Int]? {
        guard row.hasColumn("targets_hit"), let text = try row.optionalText("targets_hit", table) else { return nil }
        return try targetLevels(text, table)
    }

    /// The take-profit levels of a `targets_hit` text (`""`: none; `"1,2"`); anything else is a
    /// corrupt record. Shared with the PostgreSQL store.
    static func targetLevels(_ text: String, _ table: String) throws -> [Int] {
        if text.isEmpty { return [] }
        var levels: [Int] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard let level = Int(part), (1...3).contains(level) else {
                throw TradeStoreError.corruptRecord(table: table, column: "targets_hit", value: text)
            }
            levels.append(level)
        }
        return levels
    }
}
