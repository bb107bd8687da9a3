import Foundation
import GRDB
import Testing
import TradingEngine
import TradingTestSupport
@testable import Storage

/// One `TradeStore` implementation prepared for the contract suite, with a fault injector and a
/// row counter that look inside it (to prove nothing was half-written).
struct StoreHarness {
    let store: any TradeStore
    /// Makes every later write to the named SQL table fail; nil removes the fault.
    let injectFailure: (String?) throws -> Void
    let rowCount: (String) throws -> Int
    let cleanup: () -> Void
}

/// A named way to build a fresh store; the contract suite runs once per value.
struct StoreUnderTest: Sendable, CustomTestStringConvertible {
    let name: String
    let make: @Sendable () throws -> StoreHarness
    var testDescription: String { name }

    static let all: [StoreUnderTest] = [inMemory, sqlite]

    static let inMemory = StoreUnderTest(name: "InMemoryTradeStore") {
        let store = InMemoryTradeStore()
        return StoreHarness(store: store, injectFailure: { store.injectFailure(onWriteTo: $0) },
                            rowCount: { store.count(of: $0) }, cleanup: {})
    }

    static let sqlite = StoreUnderTest(name: "SQLiteTradeStore") {
        let directory = TemporaryDirectory()
        let store = try SQLiteTradeStore(path: directory.path + "/qt.sqlite")
        return StoreHarness(
            store: store,
            injectFailure: { table in try SQLiteFaults.inject(into: store, table: table) },
            rowCount: { table in try store.database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM \(table)")! } },
            cleanup: { directory.remove() })
    }
}

/// Faults in the real SQLite store: temporary triggers that abort every write to a table, so a
/// multi-statement call fails half-way through its transaction.
enum SQLiteFaults {
    static let tables = ["runs", "orders", "order_events", "fills", "trades", "exit_states", "decisions", "alerts",
                         "equity_snapshots", "risk_events", "close_requests",
                         "notifications", "commands"]

    static func inject(into store: SQLiteTradeStore, table: String?) throws {
        try store.database.write { db in
            for name in tables {
                for operation in ["INSERT", "UPDATE", "DELETE"] {
                    try db.execute(sql: "DROP TRIGGER IF EXISTS temp.fail_\(operation)_\(name)")
                }
            }
            guard let table else { return }
            for operation in ["INSERT", "UPDATE", "DELETE"] {
                try db.execute(sql: """
                    CREATE TEMP TRIGGER fail_\(operation)_\(table) BEFORE \(operation) ON main.\(table)
                    BEGIN SELECT RAISE(ABORT, 'injected failure writing \(table)'); END
                    """)
            }
        }
    }
}

/// A fresh directory under the system temporary directory, removed by `remove()`.
struct TemporaryDirectory: Sendable {
    let path: String

    init() {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("qt-storage-\(UUID().uuidString)").path
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}
