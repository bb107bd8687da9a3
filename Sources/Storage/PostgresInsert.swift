import PostgresNIO
import TradingEngine

/// One table's `INSERT`: its columns, and what follows the values (an `ON CONFLICT` clause), for
/// one row or for many in one statement. The values are bound parameters appended in column
/// order, row after row (`PostgresBindings`), so a row written alone and a row written in a
/// batch are the same statement text per row with the same encoded values.
struct PostgresInsert: Sendable {
    let table: String
    let columns: [String]
    var conflict: String = ""

    /// Rows per statement in a batch: at most `limit`, and within PostgreSQL's 65,535 parameters.
    func rowsPerStatement(limit: Int) -> Int { max(1, min(limit, 65_535 / columns.count)) }

    /// The statement for `rows` rows whose values `binds` holds (`rows × columns.count` of them).
    /// A count that does not match is refused before anything is sent.
    func query(rows: Int, binds: PostgresBindings) throws -> PostgresQuery {
        guard rows > 0, binds.count == rows * columns.count else {
            throw TradeStoreError.database("\(table): \(binds.count) values bound for \(rows) row(s) of \(columns.count) columns")
        }
        var sql = "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES "
        sql.reserveCapacity(sql.utf8.count + rows * columns.count * 8 + conflict.utf8.count)
        var parameter = 0
        for row in 0..<rows {
            sql += row == 0 ? "(" : ", ("
            for column in columns.indices {
                parameter += 1
                sql += column == 0 ? "$\(parameter)" : ", $\(parameter)"
            }
            sql += ")"
        }
        if !conflict.isEmpty { sql += " " + conflict }
        return PostgresQuery(unsafeSQL: sql, binds: binds)
    }

    /// The statement of one row.
    func query(_ values: (inout PostgresBindings) throws -> Void) throws -> PostgresQuery {
        var binds = PostgresBindings(capacity: columns.count)
        try values(&binds)
        return try query(rows: 1, binds: binds)
    }
}
