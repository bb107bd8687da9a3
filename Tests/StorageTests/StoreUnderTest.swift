import Foundation
import GRDB
import Testing
import TradingEngine
import TradingTestSupport
@testable import Storage
import PostgresNIO

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

    static let all: [StoreUnderTest] = [inMemory, sqlite, postgres]

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

    /// A fresh schema in the shared test server per test (ids start at 1, as in a new database).
    static let postgres = StoreUnderTest(name: "PostgresTradeStore") {
        let store = try PostgresFixture.makeStore(bot: "contract")
        return StoreHarness(
            store: store,
            injectFailure: { table in try PostgresFaults.inject(into: store, table: table) },
            rowCount: { table in try PostgresFixture.count(table, in: store) },
            cleanup: { PostgresFixture.drop(store) })
    }
}

/// Stores on the shared PostgreSQL test server.
enum PostgresFixture {
    static func server() throws -> PostgresTestServer { try PostgresTestServer.shared.get() }

    /// A store of `bot` in `schema` (a new one unless given), migrated.
    static func makeStore(bot: String, schema: String? = nil, migrate: Bool = true, port: Int? = nil,
                          answerTimeout: Duration = .seconds(10), recordingRowsPerStatement: Int = 1_000) throws -> PostgresTradeStore {
        let name = schema ?? newSchemaName()
        var settings = try PostgresStoreSettings(url: try server().url(schema: name, port: port), bot: bot, answerTimeout: answerTimeout)
        settings.recordingRowsPerStatement = recordingRowsPerStatement
        return try PostgresTradeStore(settings: settings, migrate: migrate)
    }

    static func newSchemaName() -> String { "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20) }

    static func count(_ table: String, in store: PostgresTradeStore) throws -> Int {
        let rows = try store.statement(PostgresQuery(unsafeSQL: "SELECT count(*)::bigint AS n FROM \(table)"))
        return Int(try rows.first.map { try $0.makeRandomAccess()["n"].decode(Int64.self, context: .default) } ?? -1)
    }

    static func drop(_ store: PostgresTradeStore) {
        _ = try? store.statement(PostgresQuery(unsafeSQL: "DROP SCHEMA \(store.settings.schema) CASCADE"))
    }
}

/// Faults in the real PostgreSQL store: triggers that raise on every write to a table.
enum PostgresFaults {
    static func inject(into store: PostgresTradeStore, table: String?) throws {
        let schema = store.settings.schema
        try store.statement(PostgresQuery(unsafeSQL: """
            CREATE OR REPLACE FUNCTION \(schema).qt_fail() RETURNS trigger LANGUAGE plpgsql AS
            $$ BEGIN RAISE EXCEPTION 'injected failure writing %', TG_TABLE_NAME; END $$
            """))
        for name in SQLiteFaults.tables {
            try store.statement(PostgresQuery(unsafeSQL: "DROP TRIGGER IF EXISTS qt_fail_\(name) ON \(schema).\(name)"))
        }
        guard let table else { return }
        try store.statement(PostgresQuery(unsafeSQL: """
            CREATE TRIGGER qt_fail_\(table) BEFORE INSERT OR UPDATE OR DELETE ON \(schema).\(table)
            FOR EACH ROW EXECUTE FUNCTION \(schema).qt_fail()
            """))
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
