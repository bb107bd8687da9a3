import Foundation
import GRDB
import Testing
@testable import Storage

/// The readiness probe of the SQLite store (`/readyz`'s `store_writable`).
@Suite struct SQLiteTradeStoreHealthTests {
    @Test("checkWritable takes the write lock and keeps nothing; it fails while another connection holds the lock, and passes again after")
    func writeProbe() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/qt.sqlite"
        let store = try SQLiteTradeStore(path: path)
        try store.checkWritable()
        let tables = try store.database.read { try String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE name = 'qt_write_probe'") }
        #expect(tables.isEmpty)
        // Another process's writer holding the lock (as a stuck `qt` would): the probe gives up after the busy timeout.
        let other = try DatabaseQueue(path: path)
        try other.writeWithoutTransaction { try $0.execute(sql: "BEGIN IMMEDIATE") }
        #expect(throws: (any Error).self) { try store.checkWritable() }
        try other.writeWithoutTransaction { try $0.execute(sql: "ROLLBACK") }
        try store.checkWritable()
    }
}
