import GRDB

extension SQLiteTradeStore {
    /// Proves the store can be written now: takes the write lock and creates a table inside a
    /// transaction that is rolled back (nothing is kept). Throws what SQLite answered (read-only
    /// file, full disk, a lock held too long). For readiness checks (`/readyz`).
    public func checkWritable() throws {
        try database.writeWithoutTransaction { db in
            try db.inTransaction(.immediate) {
                try db.execute(sql: "CREATE TABLE qt_write_probe (x INTEGER)")
                return .rollback
            }
        }
    }
}
