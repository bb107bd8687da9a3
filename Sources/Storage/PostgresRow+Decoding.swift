import PostgresNIO
import TradingEngine
import TradingModel

/// Typed reads from a PostgreSQL row; an unreadable value becomes `TradeStoreError.corruptRecord`.
struct PostgresRecordRow {
    let row: PostgresRandomAccessRow
    let table: String

    init(_ row: PostgresRow, _ table: String) {
        self.row = row.makeRandomAccess()
        self.table = table
    }

    func optional<T: PostgresDecodable>(_ column: String, _ type: T.Type) throws -> T? where T._DecodableType == T {
        guard row.contains(column) else { throw corrupt(column, "missing column") }
        do { return try row[column].decode(T?.self, context: .default) } catch { throw corrupt(column, "\(T.self) expected") }
    }

    func int64(_ column: String) throws -> Int64 {
        guard let value = try optional(column, Int64.self) else { throw corrupt(column, "NULL") }
        return value
    }

    func optionalInt64(_ column: String) throws -> Int64? { try optional(column, Int64.self) }

    func text(_ column: String) throws -> String {
        guard let value = try optional(column, String.self) else { throw corrupt(column, "NULL") }
        return value
    }

    func optionalText(_ column: String) throws -> String? { try optional(column, String.self) }
    func optionalDouble(_ column: String) throws -> Double? { try optional(column, Double.self) }

    func bool(_ column: String) throws -> Bool {
        guard let value = try optional(column, Bool.self) else { throw corrupt(column, "NULL") }
        return value
    }

    func timestamp(_ column: String) throws -> Timestamp { Timestamp(milliseconds: try int64(column)) }
    func optionalTimestamp(_ column: String) throws -> Timestamp? { try optionalInt64(column).map(Timestamp.init(milliseconds:)) }
    func fixed<T: FixedPointValue>(_ column: String) throws -> T { T(raw: try int64(column)) }
    func optionalFixed<T: FixedPointValue>(_ column: String) throws -> T? { try optionalInt64(column).map(T.init(raw:)) }

    func symbol(_ column: String) throws -> Symbol {
        let name = try text(column)
        guard let symbol = Symbol(name) else { throw corrupt(column, name) }
        return symbol
    }

    func optionalSymbol(_ column: String) throws -> Symbol? {
        guard let name = try optionalText(column) else { return nil }
        guard let symbol = Symbol(name) else { throw corrupt(column, name) }
        return symbol
    }

    func clientOrderID(_ column: String) throws -> ClientOrderID {
        let text = try text(column)
        guard let id = ClientOrderID(text) else { throw corrupt(column, text) }
        return id
    }

    func enumValue<T: RawRepresentable>(_ column: String) throws -> T where T.RawValue == String {
        let text = try text(column)
        guard let value = T(rawValue: text) else { throw corrupt(column, text) }
        return value
    }

    private func corrupt(_ column: String, _ value: String) -> TradeStoreError {
        .corruptRecord(table: table, column: column, value: value)
    }
}
