import GRDB
import TradingEngine

/// The `targets_hit` column of `trades`: take-profit levels as `"1,2"` (empty text: none hit,
/// NULL: not recorded).
extension SQLiteTradeStore {
    static func targetsText(_ levels: [Int]) -> String {
        levels.map(String.init).joined(separator: ",")
    }

    static func targets(_ row: Row, _ table: String) throws -> [Int]? {
        guard let text = try row.optionalText("targets_hit", table) else { return nil }
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
