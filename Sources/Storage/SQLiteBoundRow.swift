import GRDB
import GRDBSQLite

/// A prepared statement executed many times with values bound in place (`sqlite3_bind_*`): the
/// whole-run batch, where building GRDB arguments for every row cost more than SQLite's work.
/// The values of several rows of a multi-row `INSERT` are bound one after the other into the
/// same parameter list (`execute(_:in:rows:_:)`).
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
        try execute(statement, in: db, rows: 1) { row, _ in try fill(&row) }
    }

    /// Binds `rows` rows one after the other (`fill(&row, r)` for r in 0..<rows: the statement's
    /// parameters are those rows' values in order) and runs the statement once.
    static func execute(_ statement: Statement, in db: Database, rows: Int,
                        _ fill: (inout SQLiteBoundRow, Int) throws -> Void) throws {
        var row = SQLiteBoundRow(statement)
        for index in 0..<rows { try fill(&row, index) }
        let handle = statement.sqliteStatement
        // Every parameter bound exactly once: a parameter left out would keep the previous
        // execution's value (a reset keeps the bindings).
        let complete = row.index - 1 == sqlite3_bind_parameter_count(handle)
        let code = row.failure != SQLITE_OK ? row.failure : complete ? sqlite3_step(handle) : SQLITE_RANGE
        let message = code == SQLITE_DONE ? nil : String(cString: sqlite3_errmsg(db.sqliteConnection))
        sqlite3_reset(handle)
        guard code == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
        }
    }
}
