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
        let (held, release, finished) = (DispatchSemaphore(value: 0), DispatchSemaphore(value: 0), DispatchSemaphore(value: 0))
        Thread {
            try? other.inDatabase { db in
                try db.inTransaction(.immediate) {
                    held.signal()
                    release.wait()
                    return .rollback
                }
            }
            finished.signal()
        }.start()
        held.wait()
        #expect(throws: (any Error).self) { try store.checkWritable() }
        release.signal()
        finished.wait()
        try store.checkWritable()
    }
}
