import GRDB
import GRDBSQLite

/// A prepared statement executed many times with values bound in place (`sqlite3_bind_*`): the
/// whole-run batch, where building GRDB arguments for every row cost more than SQLite's work.
/// Use only inside a GRDB write transaction on the statement's own connection.
struct SQLiteBoundRow: SQLRow {
    private let statement: SQLiteStatement
    private var index: Int32 = 1
    private var failure: Int32 = SQLITE_OK

    /// The values of one row for `statement`; `execute` runs it.
    init(_ statement: Statement) {
        self.statement = statement.sqliteStatement
    }

    mutating func add(_ value: Int64) { bound(sqlite3_bind_int64(statement, index, value)) }
    mutating func add(_ value: Double) { bound(sqlite3_bind_double(statement, index, value)) }
    mutating func addNull() { bound(sqlite3_bind_null(statement, index)) }

    mutating func add(_ value: String) {
        var text = value
        let code = text.withUTF8 { bytes in
            // An empty buffer may have no address, which SQLite would bind as NULL.
            bytes.isEmpty ? sqlite3_bind_text(statement, index, "", 0, Self.transient)
                : sqlite3_bind_text(statement, index, bytes.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) },
                                    Int32(bytes.count), Self.transient)
        }
        bound(code)
    }

    private mutating func bound(_ code: Int32) {
        if code != SQLITE_OK, failure == SQLITE_OK { failure = code }
        index += 1
    }

    /// SQLite copies the text before the call returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// Binds one row with `fill` and runs the statement; a bind or step failure throws SQLite's
    /// error with the statement's SQL.
    static func execute(_ statement: Statement, in db: Database, _ fill: (inout SQLiteBoundRow) throws -> Void) throws {
        var row = SQLiteBoundRow(statement)
        try fill(&row)
        let handle = statement.sqliteStatement
        let code = row.failure == SQLITE_OK ? sqlite3_step(handle) : row.failure
        let message = code == SQLITE_DONE ? nil : String(cString: sqlite3_errmsg(db.sqliteConnection))
        sqlite3_reset(handle)
        guard code == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
        }
    }
}
