import GRDB
import TradingEngine
import TradingModel

/// Typed reads from a row; any unreadable value becomes `TradeStoreError.corruptRecord`.
extension Row {
    func int64(_ column: String, _ table: String) throws -> Int64 {
        guard let value = try optionalInt64(column, table) else { throw corrupt(column, table) }
        return value
    }

    func optionalInt64(_ column: String, _ table: String) throws -> Int64? {
        do { return try decode(Int64?.self, forColumn: column) } catch { throw corrupt(column, table) }
    }

    func text(_ column: String, _ table: String) throws -> String {
        guard let value = try optionalText(column, table) else { throw corrupt(column, table) }
        return value
    }

    func optionalText(_ column: String, _ table: String) throws -> String? {
        do { return try decode(String?.self, forColumn: column) } catch { throw corrupt(column, table) }
    }

    func optionalDouble(_ column: String, _ table: String) throws -> Double? {
        do { return try decode(Double?.self, forColumn: column) } catch { throw corrupt(column, table) }
    }

    func bool(_ column: String, _ table: String) throws -> Bool {
        switch try int64(column, table) {
        case 0: return false
        case 1: return true
        default: throw corrupt(column, table)
        }
    }

    /// A stored instant; outside `Timestamp.representableRange` (years 1–9999) it is a corrupt
    /// record, never a value that traps when it is formatted or compared later.
    func timestamp(_ column: String, _ table: String) throws -> Timestamp {
        guard let time = Timestamp(checkedMilliseconds: try int64(column, table)) else { throw outOfRange(column, table) }
        return time
    }

    func optionalTimestamp(_ column: String, _ table: String) throws -> Timestamp? {
        guard let milliseconds = try optionalInt64(column, table) else { return nil }
        guard let time = Timestamp(checkedMilliseconds: milliseconds) else { throw outOfRange(column, table) }
        return time
    }

    func fixed<T: FixedPointValue>(_ column: String, _ table: String) throws -> T {
        T(raw: try int64(column, table))
    }

    func optionalFixed<T: FixedPointValue>(_ column: String, _ table: String) throws -> T? {
        try optionalInt64(column, table).map(T.init(raw:))
    }

    func symbol(_ column: String, _ table: String) throws -> Symbol {
        let name = try text(column, table)
        guard let symbol = Symbol(name) else { throw corrupt(column, table) }
        return symbol
    }

    func optionalSymbol(_ column: String, _ table: String) throws -> Symbol? {
        guard let name = try optionalText(column, table) else { return nil }
        guard let symbol = Symbol(name) else { throw corrupt(column, table) }
        return symbol
    }

    func clientOrderID(_ column: String, _ table: String) throws -> ClientOrderID {
        guard let id = ClientOrderID(try text(column, table)) else { throw corrupt(column, table) }
        return id
    }

    func enumValue<T: RawRepresentable>(_ column: String, _ table: String) throws -> T where T.RawValue == String {
        guard let value = T(rawValue: try text(column, table)) else { throw corrupt(column, table) }
        return value
    }

    private func corrupt(_ column: String, _ table: String) -> TradeStoreError {
        let value = self[column].map { String(describing: $0) } ?? "NULL"
        return .corruptRecord(table: table, column: column, value: DisplayText.escaped(value, limit: 80))
    }

    private func outOfRange(_ column: String, _ table: String) -> TradeStoreError {
        let value = self[column].map { String(describing: $0) } ?? "NULL"
        return .corruptRecord(table: table, column: column, value: "\(value) (time out of range)")
    }
}
